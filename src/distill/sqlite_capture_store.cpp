#include "distill/sqlite_capture_store.h"

#include <sqlite3.h>

#include "rag/sqlite_statement.h"

namespace tiergate::distill {

namespace {

using rag::bind_text;
using rag::column_text;
using rag::statement;

error sqlite_error(sqlite3 * db, const std::string & what) {
    return error{error_kind::internal, "capture store: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"),
                 "", "capture_store_failed", {}};
}

constexpr const char * schema =
    "CREATE TABLE IF NOT EXISTS captures ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, request_id TEXT NOT NULL, task TEXT NOT NULL,"
    " team TEXT NOT NULL, key_id TEXT NOT NULL, route TEXT NOT NULL, model TEXT NOT NULL, tier TEXT NOT NULL,"
    " role TEXT NOT NULL, decision TEXT NOT NULL, messages TEXT NOT NULL, prompt TEXT NOT NULL, answer TEXT NOT NULL,"
    " finish_reason TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,"
    " cost_usd REAL NOT NULL, latency_ms REAL NOT NULL, bytes INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS captures_task ON captures(task, id);"
    "CREATE INDEX IF NOT EXISTS captures_request ON captures(request_id);";

}  // namespace

struct sqlite_capture_store::impl {
    sqlite3 * db = nullptr;
    ~impl() { sqlite3_close_v2(db); }

    bool exec(const char * sql) const { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

    result<int64_t> scalar(const char * sql) const {
        statement st;
        if (sqlite3_prepare_v2(db, sql, -1, &st.s, nullptr) != SQLITE_OK || sqlite3_step(st.s) != SQLITE_ROW) {
            return sqlite_error(db, "reading the store's size");
        }
        return sqlite3_column_int64(st.s, 0);
    }
};

sqlite_capture_store::sqlite_capture_store() : impl_(std::make_unique<impl>()) {}
sqlite_capture_store::~sqlite_capture_store() = default;

result<std::unique_ptr<sqlite_capture_store>> sqlite_capture_store::open(const std::filesystem::path & file) {
    std::unique_ptr<sqlite_capture_store> out(new sqlite_capture_store());
    auto & d = *out->impl_;
    if (sqlite3_open_v2(file.c_str(), &d.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        return error{error_kind::internal,
                     "capture store: cannot open " + file.string() + ": " + (d.db ? sqlite3_errmsg(d.db) : "out of memory"),
                     "", "capture_store_failed", {}};
    }
    sqlite3_busy_timeout(d.db, 5000);
    if (!d.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;") || !d.exec(schema)) {
        return sqlite_error(d.db, "creating the schema in " + file.string());
    }
    return out;
}

result<bool> sqlite_capture_store::append(const std::vector<captured_call> & batch) {
    auto & d = *impl_;
    if (!d.exec("BEGIN IMMEDIATE")) {
        return sqlite_error(d.db, "starting a batch");
    }
    statement st;
    if (sqlite3_prepare_v2(d.db,
                           "INSERT INTO captures (at_ms, request_id, task, team, key_id, route, model, tier, role, "
                           "decision, messages, prompt, answer, finish_reason, prompt_tokens, completion_tokens, "
                           "cost_usd, latency_ms, bytes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st.s, nullptr) != SQLITE_OK) {
        d.exec("ROLLBACK");
        return sqlite_error(d.db, "preparing an insert");
    }
    for (const auto & c : batch) {
        sqlite3_reset(st.s);
        sqlite3_bind_int64(st.s, 1, c.at_ms);
        bind_text(st.s, 2, c.request_id);
        bind_text(st.s, 3, c.task);
        bind_text(st.s, 4, c.team);
        bind_text(st.s, 5, c.key_id);
        bind_text(st.s, 6, c.route);
        bind_text(st.s, 7, c.model);
        bind_text(st.s, 8, c.tier);
        bind_text(st.s, 9, c.role);
        bind_text(st.s, 10, c.decision);
        bind_text(st.s, 11, messages_json(c.messages));
        bind_text(st.s, 12, c.prompt);
        bind_text(st.s, 13, c.answer);
        bind_text(st.s, 14, c.finish_reason);
        sqlite3_bind_int64(st.s, 15, c.prompt_tokens);
        sqlite3_bind_int64(st.s, 16, c.completion_tokens);
        sqlite3_bind_double(st.s, 17, c.cost_usd);
        sqlite3_bind_double(st.s, 18, c.latency_ms);
        sqlite3_bind_int64(st.s, 19, size_of(c));
        if (sqlite3_step(st.s) != SQLITE_DONE) {
            auto err = sqlite_error(d.db, "writing a capture");
            d.exec("ROLLBACK");
            return err;
        }
    }
    if (!d.exec("COMMIT")) {
        auto err = sqlite_error(d.db, "committing a batch");
        d.exec("ROLLBACK");
        return err;
    }
    return true;
}

result<int64_t> sqlite_capture_store::rows() const { return impl_->scalar("SELECT COUNT(*) FROM captures"); }

result<int64_t> sqlite_capture_store::bytes() const { return impl_->scalar("SELECT COALESCE(SUM(bytes), 0) FROM captures"); }

result<bool> sqlite_capture_store::each(const capture_filter & filter,
                                 const std::function<bool(captured_call &&)> & visit) const {
    auto & d = *impl_;
    statement st;
    if (sqlite3_prepare_v2(d.db,
                           "SELECT at_ms, request_id, task, team, key_id, route, model, tier, role, decision, messages, "
                           "prompt, answer, finish_reason, prompt_tokens, completion_tokens, cost_usd, latency_ms "
                           "FROM captures WHERE (?1 = '' OR task = ?1) AND (?2 = '' OR role = ?2) "
                           "AND (?3 = '' OR model = ?3) AND at_ms >= ?4 ORDER BY id",
                           -1, &st.s, nullptr) != SQLITE_OK) {
        return sqlite_error(d.db, "reading captures");
    }
    bind_text(st.s, 1, filter.task);
    bind_text(st.s, 2, filter.role);
    bind_text(st.s, 3, filter.model);
    sqlite3_bind_int64(st.s, 4, filter.since_ms);
    int rc = 0;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        captured_call c;
        c.at_ms = sqlite3_column_int64(st.s, 0);
        c.request_id = column_text(st.s, 1);
        c.task = column_text(st.s, 2);
        c.team = column_text(st.s, 3);
        c.key_id = column_text(st.s, 4);
        c.route = column_text(st.s, 5);
        c.model = column_text(st.s, 6);
        c.tier = column_text(st.s, 7);
        c.role = column_text(st.s, 8);
        c.decision = column_text(st.s, 9);
        c.messages = messages_from(column_text(st.s, 10));
        c.prompt = column_text(st.s, 11);
        c.answer = column_text(st.s, 12);
        c.finish_reason = column_text(st.s, 13);
        c.prompt_tokens = sqlite3_column_int64(st.s, 14);
        c.completion_tokens = sqlite3_column_int64(st.s, 15);
        c.cost_usd = sqlite3_column_double(st.s, 16);
        c.latency_ms = sqlite3_column_double(st.s, 17);
        if (!visit(std::move(c))) {
            return true;
        }
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(d.db, "reading captures");
    }
    return true;
}

}  // namespace tiergate::distill
