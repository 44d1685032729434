#include "distill/sqlite_promotion_log.h"

#include <sqlite3.h>

#include <chrono>

#include "rag/sqlite_statement.h"

namespace tiergate::distill {

namespace {

using rag::bind_text;
using rag::column_text;
using rag::statement;

error sqlite_error(sqlite3 * db, const std::string & what) {
    return error{error_kind::internal, "promotion log: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"),
                 "", "promotion_log_failed", {}};
}

constexpr const char * columns = "id, at_ms, model, path, previous, action, version, student_nll, base_nll, forced";

promotion from_row(sqlite3_stmt * s) {
    promotion p;
    p.id = sqlite3_column_int64(s, 0);
    p.at_ms = sqlite3_column_int64(s, 1);
    p.model = column_text(s, 2);
    p.path = column_text(s, 3);
    p.previous = column_text(s, 4);
    p.action = column_text(s, 5);
    p.version = sqlite3_column_int(s, 6);
    p.student_nll = sqlite3_column_double(s, 7);
    p.base_nll = sqlite3_column_double(s, 8);
    p.forced = sqlite3_column_int(s, 9) != 0;
    return p;
}

}  // namespace

struct sqlite_promotion_log::impl {
    sqlite3 * db = nullptr;
    ~impl() { sqlite3_close_v2(db); }
};

sqlite_promotion_log::sqlite_promotion_log() : impl_(std::make_unique<impl>()) {}
sqlite_promotion_log::~sqlite_promotion_log() = default;

result<std::unique_ptr<sqlite_promotion_log>> sqlite_promotion_log::open(const std::filesystem::path & file) {
    std::unique_ptr<sqlite_promotion_log> out(new sqlite_promotion_log());
    auto & d = *out->impl_;
    if (sqlite3_open_v2(file.c_str(), &d.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        return error{error_kind::internal,
                     "promotion log: cannot open " + file.string() + ": " + (d.db ? sqlite3_errmsg(d.db) : "out of memory"),
                     "", "promotion_log_failed", {}};
    }
    sqlite3_busy_timeout(d.db, 5000);
    if (sqlite3_exec(d.db,
                     "PRAGMA journal_mode=WAL;"
                     "CREATE TABLE IF NOT EXISTS promotions (id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT "
                     "NULL, model TEXT NOT NULL, path TEXT NOT NULL, previous TEXT NOT NULL, action TEXT NOT NULL, "
                     "version INTEGER NOT NULL, student_nll REAL NOT NULL, base_nll REAL NOT NULL, forced INTEGER NOT "
                     "NULL);",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(d.db, "creating the schema in " + file.string());
    }
    return out;
}

result<promotion> sqlite_promotion_log::record(promotion p) {
    auto & d = *impl_;
    if (sqlite3_exec(d.db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(d.db, "starting a record");
    }
    auto fail = [&](const std::string & what) {
        auto e = sqlite_error(d.db, what);
        sqlite3_exec(d.db, "ROLLBACK", nullptr, nullptr, nullptr);
        return e;
    };
    {
        statement st;
        if (sqlite3_prepare_v2(d.db, "SELECT COALESCE(MAX(version), 0) FROM promotions WHERE model = ?", -1, &st.s,
                               nullptr) != SQLITE_OK) {
            return fail("reading versions");
        }
        bind_text(st.s, 1, p.model);
        if (sqlite3_step(st.s) != SQLITE_ROW) {
            return fail("reading versions");
        }
        p.version = sqlite3_column_int(st.s, 0) + 1;
    }
    p.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    {
        statement st;
        if (sqlite3_prepare_v2(d.db,
                               "INSERT INTO promotions (at_ms, model, path, previous, action, version, student_nll, "
                               "base_nll, forced) VALUES (?,?,?,?,?,?,?,?,?)",
                               -1, &st.s, nullptr) != SQLITE_OK) {
            return fail("recording a promotion");
        }
        sqlite3_bind_int64(st.s, 1, p.at_ms);
        bind_text(st.s, 2, p.model);
        bind_text(st.s, 3, p.path);
        bind_text(st.s, 4, p.previous);
        bind_text(st.s, 5, p.action);
        sqlite3_bind_int(st.s, 6, p.version);
        sqlite3_bind_double(st.s, 7, p.student_nll);
        sqlite3_bind_double(st.s, 8, p.base_nll);
        sqlite3_bind_int(st.s, 9, p.forced ? 1 : 0);
        if (sqlite3_step(st.s) != SQLITE_DONE) {
            return fail("recording a promotion");
        }
        p.id = sqlite3_last_insert_rowid(d.db);
    }
    if (sqlite3_exec(d.db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return fail("committing a promotion");
    }
    return p;
}

result<std::vector<promotion>> sqlite_promotion_log::since(int64_t after_id) const {
    auto & d = *impl_;
    statement st;
    const std::string sql = std::string("SELECT ") + columns + " FROM promotions WHERE id > ? ORDER BY id";
    if (sqlite3_prepare_v2(d.db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
        return sqlite_error(d.db, "reading promotions");
    }
    sqlite3_bind_int64(st.s, 1, after_id);
    std::vector<promotion> out;
    int rc = 0;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        out.push_back(from_row(st.s));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(d.db, "reading promotions");
    }
    return out;
}

result<std::optional<promotion>> sqlite_promotion_log::latest(const std::string & model) const {
    auto & d = *impl_;
    statement st;
    const std::string sql = std::string("SELECT ") + columns + " FROM promotions WHERE model = ? ORDER BY id DESC LIMIT 1";
    if (sqlite3_prepare_v2(d.db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
        return sqlite_error(d.db, "reading promotions");
    }
    bind_text(st.s, 1, model);
    const int rc = sqlite3_step(st.s);
    if (rc == SQLITE_ROW) {
        return std::optional<promotion>(from_row(st.s));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(d.db, "reading promotions");
    }
    return std::optional<promotion>();
}

}  // namespace tiergate::distill
