#include "rag/sqlite_file_store.h"

#include "rag/sqlite_statement.h"

#include <chrono>
#include <mutex>

namespace tiergate::rag {

namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

constexpr const char * schema = R"sql(
CREATE TABLE IF NOT EXISTS files(
  id TEXT PRIMARY KEY, filename TEXT NOT NULL, purpose TEXT NOT NULL, team TEXT NOT NULL,
  bytes INTEGER NOT NULL, created_ms INTEGER NOT NULL, content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS attachments(
  collection TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE, file_id TEXT NOT NULL,
  attributes TEXT NOT NULL, documents TEXT NOT NULL, bytes INTEGER NOT NULL, created_ms INTEGER NOT NULL,
  status TEXT NOT NULL, last_error TEXT NOT NULL, PRIMARY KEY(collection, file_id));
CREATE INDEX IF NOT EXISTS attachments_by_file ON attachments(file_id);
)sql";

constexpr const char * file_columns = "id, filename, purpose, team, bytes, created_ms";
constexpr const char * attachment_columns =
    "collection, file_id, attributes, documents, bytes, created_ms, status, last_error";

file_info file_from_row(sqlite3_stmt * s) {
    file_info f;
    f.id = column_text(s, 0);
    f.filename = column_text(s, 1);
    f.purpose = column_text(s, 2);
    f.team = column_text(s, 3);
    f.bytes = sqlite3_column_int64(s, 4);
    f.created_ms = sqlite3_column_int64(s, 5);
    return f;
}

attachment attachment_from_row(sqlite3_stmt * s) {
    attachment a;
    a.collection = column_text(s, 0);
    a.file_id = column_text(s, 1);
    a.attributes = column_json(s, 2);
    const auto docs = nlohmann::json::parse(column_text(s, 3), nullptr, false);
    if (docs.is_array()) {
        for (const auto & d : docs) {
            if (d.is_string()) {
                a.documents.push_back(d.get<std::string>());
            }
        }
    }
    a.bytes = sqlite3_column_int64(s, 4);
    a.created_ms = sqlite3_column_int64(s, 5);
    a.status = column_text(s, 6);
    a.last_error = column_text(s, 7);
    return a;
}

}  // namespace

struct sqlite_file_store::impl {
    sqlite3 * db = nullptr;
    mutable std::mutex mu;

    ~impl() { sqlite3_close(db); }

    result<bool> prepare(statement & st, const std::string & sql) const {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
            return sqlite_error(db, "prepare");
        }
        return true;
    }

    // Runs a statement that returns no rows; the number of rows it changed.
    result<int> run(statement & st) const {
        if (sqlite3_step(st.s) != SQLITE_DONE) {
            return sqlite_error(db, "write");
        }
        return sqlite3_changes(db);
    }
};

sqlite_file_store::sqlite_file_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
sqlite_file_store::~sqlite_file_store() = default;

result<std::unique_ptr<sqlite_file_store>> sqlite_file_store::open(const std::string & path) {
    auto p = std::make_unique<impl>();
    if (sqlite3_open_v2(path.c_str(), &p->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        return sqlite_error(p->db, "open " + path);
    }
    sqlite3_busy_timeout(p->db, 5000);
    char * msg = nullptr;
    for (const char * sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", schema}) {
        if (sqlite3_exec(p->db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
            std::string m = msg ? msg : "unknown";
            sqlite3_free(msg);
            return error{error_kind::internal, "file store (sqlite): " + m, "", "rag_store_failed", {}};
        }
    }
    return std::unique_ptr<sqlite_file_store>(new sqlite_file_store(std::move(p)));
}

result<file_info> sqlite_file_store::put(file_info info, const std::string & content) {
    std::lock_guard lock(impl_->mu);
    if (info.created_ms == 0) {
        info.created_ms = now_ms();
    }
    info.bytes = static_cast<int64_t>(content.size());
    statement st;
    if (auto ok = impl_->prepare(st, "INSERT INTO files(id, filename, purpose, team, bytes, created_ms, content) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?)");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, info.id);
    bind_text(st.s, 2, info.filename);
    bind_text(st.s, 3, info.purpose);
    bind_text(st.s, 4, info.team);
    sqlite3_bind_int64(st.s, 5, info.bytes);
    sqlite3_bind_int64(st.s, 6, info.created_ms);
    sqlite3_bind_blob64(st.s, 7, content.data(), content.size(), SQLITE_STATIC);
    if (auto ok = impl_->run(st); !ok) {
        return ok.err();
    }
    return info;
}

result<std::optional<file_info>> sqlite_file_store::file(const std::string & id) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, std::string("SELECT ") + file_columns + " FROM files WHERE id = ?"); !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, id);
    const int rc = sqlite3_step(st.s);
    if (rc == SQLITE_ROW) {
        return std::optional<file_info>(file_from_row(st.s));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "read a file");
    }
    return std::optional<file_info>();
}

result<std::optional<std::string>> sqlite_file_store::content(const std::string & id) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, "SELECT content FROM files WHERE id = ?"); !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, id);
    const int rc = sqlite3_step(st.s);
    if (rc == SQLITE_ROW) {
        const auto * p = static_cast<const char *>(sqlite3_column_blob(st.s, 0));
        return std::optional<std::string>(std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st.s, 0))));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "read a file's content");
    }
    return std::optional<std::string>();
}

result<std::vector<file_info>> sqlite_file_store::files(const std::string & team, const std::string & purpose, size_t limit,
                                                 const std::string & after) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, std::string("SELECT ") + file_columns +
                                         " FROM files WHERE team = ? AND (? = '' OR purpose = ?) AND id > ? "
                                         "ORDER BY id LIMIT ?");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, team);
    bind_text(st.s, 2, purpose);
    bind_text(st.s, 3, purpose);
    bind_text(st.s, 4, after);
    sqlite3_bind_int64(st.s, 5, static_cast<int64_t>(limit));
    std::vector<file_info> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        out.push_back(file_from_row(st.s));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "list files");
    }
    return out;
}

result<bool> sqlite_file_store::remove(const std::string & id) {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, "DELETE FROM files WHERE id = ?"); !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, id);
    auto changed = impl_->run(st);
    if (!changed) {
        return changed.err();
    }
    return *changed > 0;
}

result<attachment> sqlite_file_store::attach(attachment a) {
    std::lock_guard lock(impl_->mu);
    if (a.created_ms == 0) {
        a.created_ms = now_ms();
    }
    statement st;
    if (auto ok = impl_->prepare(st, std::string("INSERT OR REPLACE INTO attachments(") + attachment_columns +
                                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, a.collection);
    bind_text(st.s, 2, a.file_id);
    bind_text(st.s, 3, a.attributes.dump());
    bind_text(st.s, 4, nlohmann::json(a.documents).dump());
    sqlite3_bind_int64(st.s, 5, a.bytes);
    sqlite3_bind_int64(st.s, 6, a.created_ms);
    bind_text(st.s, 7, a.status);
    bind_text(st.s, 8, a.last_error);
    if (auto ok = impl_->run(st); !ok) {
        return ok.err();
    }
    return a;
}

result<std::optional<attachment>> sqlite_file_store::attachment_of(const std::string & collection,
                                                            const std::string & file_id) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, std::string("SELECT ") + attachment_columns +
                                         " FROM attachments WHERE collection = ? AND file_id = ?");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    bind_text(st.s, 2, file_id);
    const int rc = sqlite3_step(st.s);
    if (rc == SQLITE_ROW) {
        return std::optional<attachment>(attachment_from_row(st.s));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "read an attachment");
    }
    return std::optional<attachment>();
}

result<std::vector<attachment>> sqlite_file_store::attachments(const std::string & collection, size_t limit,
                                                        const std::string & after) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, std::string("SELECT ") + attachment_columns +
                                         " FROM attachments WHERE collection = ? AND file_id > ? ORDER BY file_id LIMIT ?");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    bind_text(st.s, 2, after);
    sqlite3_bind_int64(st.s, 3, static_cast<int64_t>(limit));
    std::vector<attachment> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        out.push_back(attachment_from_row(st.s));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "list attachments");
    }
    return out;
}

result<std::vector<std::string>> sqlite_file_store::collections_of(const std::string & file_id) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, "SELECT collection FROM attachments WHERE file_id = ? ORDER BY collection"); !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, file_id);
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        out.push_back(column_text(st.s, 0));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "list a file's collections");
    }
    return out;
}

result<bool> sqlite_file_store::detach(const std::string & collection, const std::string & file_id) {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, "DELETE FROM attachments WHERE collection = ? AND file_id = ?"); !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    bind_text(st.s, 2, file_id);
    auto changed = impl_->run(st);
    if (!changed) {
        return changed.err();
    }
    return *changed > 0;
}

}  // namespace tiergate::rag
