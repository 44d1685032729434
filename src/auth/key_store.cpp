#include "auth/key_store.h"

#include <sqlite3.h>

#include "core/sqlite_statement.h"
#include <sys/stat.h>

#include <nlohmann/json.hpp>

namespace tiergate::auth {

namespace {

constexpr const char * schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  prefix TEXT NOT NULL,
  hash BLOB NOT NULL UNIQUE,
  team TEXT NOT NULL,
  models TEXT NOT NULL,
  tiers TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  role TEXT NOT NULL DEFAULT 'user'
);
)sql";

// Stores made before keys had roles: every key in them is a `user` key.
constexpr const char * add_role_sql = "ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'user'";


std::string to_json_list(const std::vector<std::string> & items) { return nlohmann::json(items).dump(); }

std::string column_text(sqlite3_stmt * stmt, int col) {
    const unsigned char * text = sqlite3_column_text(stmt, col);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char *>(text));
}

std::vector<std::string> parse_json_list(const std::string & text) {
    std::vector<std::string> out;
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_array()) {
        return out;
    }
    for (const auto & item : parsed) {
        if (item.is_string()) {
            out.push_back(item.get<std::string>());
        }
    }
    return out;
}

std::string tiers_to_json(const key_scope & scope) {
    std::vector<std::string> tiers;
    for (auto tier : scope.tiers) {
        tiers.emplace_back(config::to_string(tier));
    }
    return to_json_list(tiers);
}

}  // namespace

result<std::unique_ptr<key_store>> key_store::open(const std::filesystem::path & path) {
    std::error_code ec;
    bool existed = std::filesystem::exists(path, ec);
    sqlite3 * db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open the key store " + path.string() + ": " +
                              (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return error{error_kind::internal, message, "", "key_store_unavailable", {}};
    }
    sqlite3_busy_timeout(db, 5000);
    std::unique_ptr<key_store> store(new key_store(db, path));
    if (auto made = store->exec(schema_sql); !made) {
        return made.err();
    }
    if (auto has_role = store->has_column("role"); !has_role) {
        return has_role.err();
    } else if (!*has_role) {
        // another process opening the same old store may add it first
        if (auto added = store->exec(add_role_sql); !added) {
            auto again = store->has_column("role");
            if (!again || !*again) {
                return added.err();
            }
        }
    }
    if (!existed) {
        ::chmod(path.c_str(), 0600);
    }
    return store;
}

key_store::~key_store() { sqlite3_close(db_); }

error key_store::sql_error(const std::string & what) const {
    return {error_kind::internal, what + " in the key store " + path_.string() + ": " + sqlite3_errmsg(db_), "",
            "key_store_error", {}};
}

result<std::monostate> key_store::exec(const char * sql) {
    char * message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message != nullptr ? message : "unknown error";
        sqlite3_free(message);
        return error{error_kind::internal, "key store " + path_.string() + ": " + text, "", "key_store_error", {}};
    }
    return std::monostate{};
}

result<std::monostate> key_store::insert(const key_record & record) {
    sqlite_statement stmt(db_,
                   "INSERT INTO api_keys (id, prefix, hash, team, models, tiers, created_at, expires_at, revoked_at, role) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) {
        return sql_error("cannot prepare insert");
    }
    std::string models = to_json_list(record.scope.models);
    std::string tiers_json = tiers_to_json(record.scope);
    sqlite3_stmt * s = stmt.get();
    sqlite3_bind_text(s, 1, record.id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, record.prefix.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(s, 3, record.hash.data(), static_cast<int>(record.hash.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, record.team.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, models.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, tiers_json.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 7, record.created_at);
    if (record.expires_at) {
        sqlite3_bind_int64(s, 8, *record.expires_at);
    } else {
        sqlite3_bind_null(s, 8);
    }
    if (record.revoked_at) {
        sqlite3_bind_int64(s, 9, *record.revoked_at);
    } else {
        sqlite3_bind_null(s, 9);
    }
    sqlite3_bind_text(s, 10, to_string(record.role).data(), -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        return sql_error("cannot insert key " + record.id);
    }
    return std::monostate{};
}

result<std::vector<key_record>> key_store::load_all() {
    sqlite_statement stmt(db_,
                   "SELECT id, prefix, hash, team, models, tiers, created_at, expires_at, revoked_at, role "
                   "FROM api_keys ORDER BY created_at, id");
    if (!stmt.ok()) {
        return sql_error("cannot prepare select");
    }
    std::vector<key_record> out;
    sqlite3_stmt * s = stmt.get();
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        key_record record;
        record.id = column_text(s, 0);
        record.prefix = column_text(s, 1);
        if (sqlite3_column_bytes(s, 2) != static_cast<int>(record.hash.size())) {
            continue;  // a damaged row never matches any key
        }
        const auto * blob = static_cast<const uint8_t *>(sqlite3_column_blob(s, 2));
        std::copy(blob, blob + record.hash.size(), record.hash.begin());
        record.team = column_text(s, 3);
        record.scope.models = parse_json_list(column_text(s, 4));
        for (const auto & tier : parse_json_list(column_text(s, 5))) {
            if (auto parsed = config::parse_model_tier(tier)) {
                record.scope.tiers.push_back(*parsed);
            }
        }
        record.created_at = sqlite3_column_int64(s, 6);
        if (sqlite3_column_type(s, 7) != SQLITE_NULL) {
            record.expires_at = sqlite3_column_int64(s, 7);
        }
        if (sqlite3_column_type(s, 8) != SQLITE_NULL) {
            record.revoked_at = sqlite3_column_int64(s, 8);
        }
        // an unknown role grants nothing beyond calling models
        record.role = parse_key_role(column_text(s, 9)).value_or(key_role::user);
        out.push_back(std::move(record));
    }
    if (rc != SQLITE_DONE) {
        return sql_error("cannot read keys");
    }
    return out;
}

result<std::monostate> key_store::revoke(const std::string & id, int64_t now) {
    sqlite_statement find(db_, "SELECT revoked_at FROM api_keys WHERE id = ?");
    if (!find.ok()) {
        return sql_error("cannot prepare select");
    }
    sqlite3_bind_text(find.get(), 1, id.c_str(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(find.get());
    if (rc == SQLITE_DONE) {
        return error{error_kind::not_found, "no key with id " + id + " in " + path_.string(), "id", "key_not_found",
                     {}};
    }
    if (rc != SQLITE_ROW) {
        return sql_error("cannot read key " + id);
    }
    sqlite_statement update(db_, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    if (!update.ok()) {
        return sql_error("cannot prepare update");
    }
    sqlite3_bind_int64(update.get(), 1, now);
    sqlite3_bind_text(update.get(), 2, id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(update.get()) != SQLITE_DONE) {
        return sql_error("cannot revoke key " + id);
    }
    return std::monostate{};
}

result<std::monostate> key_store::update(const std::string & id, const std::string & team, const key_scope & scope,
                                         key_role role) {
    sqlite_statement stmt(db_, "UPDATE api_keys SET team = ?, models = ?, tiers = ?, role = ? WHERE id = ?");
    if (!stmt.ok()) {
        return sql_error("cannot prepare update");
    }
    const std::string models = to_json_list(scope.models);
    const std::string tiers = tiers_to_json(scope);
    sqlite3_stmt * s = stmt.get();
    sqlite3_bind_text(s, 1, team.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, models.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, tiers.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, to_string(role).data(), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE) {
        return sql_error("cannot update key " + id);
    }
    if (sqlite3_changes(db_) == 0) {
        return error{error_kind::not_found, "no key with id " + id + " in " + path_.string(), "id", "key_not_found",
                     {}};
    }
    return std::monostate{};
}

result<bool> key_store::has_column(const char * name) {
    sqlite_statement stmt(db_, "SELECT 1 FROM pragma_table_info('api_keys') WHERE name = ?");
    if (!stmt.ok()) {
        return sql_error("cannot prepare table_info");
    }
    sqlite3_bind_text(stmt.get(), 1, name, -1, SQLITE_STATIC);
    const int rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return sql_error("cannot read table_info");
    }
    return rc == SQLITE_ROW;
}

result<int64_t> key_store::data_version() {
    sqlite_statement stmt(db_, "PRAGMA data_version");
    if (!stmt.ok() || sqlite3_step(stmt.get()) != SQLITE_ROW) {
        return sql_error("cannot read data_version");
    }
    return static_cast<int64_t>(sqlite3_column_int64(stmt.get(), 0));
}

}  // namespace tiergate::auth
