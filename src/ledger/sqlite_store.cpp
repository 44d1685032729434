#include "ledger/sqlite_store.h"

#include "ledger/migrations.h"
#include "ledger/pii_counts_codec.h"

#include <sqlite3.h>

#include <chrono>
#include <map>
#include <variant>

namespace tiergate::ledger {

namespace {

error sqlite_error(sqlite3 * db, const std::string & what) {
    return error{error_kind::internal, "ledger (sqlite): " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"),
                 "", "ledger_store_failed", {}};
}

struct statement {
    sqlite3_stmt * s = nullptr;
    statement() = default;
    statement(const statement &) = delete;
    statement & operator=(const statement &) = delete;
    ~statement() { sqlite3_finalize(s); }
};

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void bind_text(sqlite3_stmt * s, int i, const std::string & v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

std::string column_text(sqlite3_stmt * s, int i) {
    const auto * p = reinterpret_cast<const char *>(sqlite3_column_text(s, i));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

usage_record request_from_row(sqlite3_stmt * st) {
    usage_record r;
    r.request_id = column_text(st, 0);
    r.time_ms = sqlite3_column_int64(st, 1);
    r.key_id = column_text(st, 2);
    r.team = column_text(st, 3);
    r.route = column_text(st, 4);
    r.route_reason = column_text(st, 5);
    r.final_tier = parse_tier(column_text(st, 6)).value_or(tier::slm);
    r.model = column_text(st, 7);
    r.provider = column_text(st, 8);
    r.input_tokens = sqlite3_column_int64(st, 9);
    r.output_tokens = sqlite3_column_int64(st, 10);
    r.cost_usd = sqlite3_column_double(st, 11);
    r.counterfactual_cost_usd = sqlite3_column_double(st, 12);
    r.latency_ms = sqlite3_column_double(st, 13);
    r.ttft_ms = sqlite3_column_double(st, 14);
    r.status.http_status = sqlite3_column_int(st, 15);
    r.status.error_code = column_text(st, 16);
    r.escalated = sqlite3_column_int(st, 17) != 0;
    r.pii_counts = decode_pii_counts(column_text(st, 18));
    r.tool_calls = sqlite3_column_int64(st, 19);
    r.retrieved = column_text(st, 20);
    r.cache = column_text(st, 21);
    r.model_version = column_text(st, 22);
    r.trace_id = column_text(st, 23);
    r.agent = column_text(st, 24);
    return r;
}

#define TIERGATE_REQUEST_COLUMNS                                                                              \
    "request_id, time_ms, key_id, team, route, route_reason, tier, model, provider, "                         \
    "input_tokens, output_tokens, cost_usd, counterfactual_cost_usd, latency_ms, ttft_ms, "                   \
    "http_status, error_code, escalated, pii_counts, tool_calls, retrieved, cache, model_version, trace_id, agent"
constexpr const char * request_columns = TIERGATE_REQUEST_COLUMNS;
constexpr const char * select_requests =
    "SELECT " TIERGATE_REQUEST_COLUMNS " FROM requests WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms, request_id";
#undef TIERGATE_REQUEST_COLUMNS

// Prepares `q` with its parameters bound.
bool prepare(sqlite3 * db, const sql_text & q, statement & st) {
    if (sqlite3_prepare_v2(db, q.sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
        return false;
    }
    for (size_t i = 0; i < q.params.size(); ++i) {
        const int at = static_cast<int>(i + 1);
        if (const auto * n = std::get_if<int64_t>(&q.params[i])) {
            sqlite3_bind_int64(st.s, at, *n);
        } else {
            bind_text(st.s, at, std::get<std::string>(q.params[i]));
        }
    }
    return true;
}

}  // namespace

struct sqlite_store::impl {
    sqlite3 * db = nullptr;
    statement insert_request;
    statement insert_attempt;

    ~impl() {
        sqlite3_finalize(insert_request.s);
        insert_request.s = nullptr;
        sqlite3_finalize(insert_attempt.s);
        insert_attempt.s = nullptr;
        sqlite3_close_v2(db);
    }

    bool exec(const std::string & sql, std::string * message = nullptr) {
        char * err = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK && message) {
            *message = err ? err : sqlite3_errstr(rc);
        }
        sqlite3_free(err);
        return rc == SQLITE_OK;
    }

    result<int> current_version() {
        statement st;
        if (sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", -1, &st.s, nullptr) != SQLITE_OK) {
            return sqlite_error(db, "reading schema_version");
        }
        if (sqlite3_step(st.s) != SQLITE_ROW) {
            return sqlite_error(db, "reading schema_version");
        }
        return sqlite3_column_int(st.s, 0);
    }

    result<int> migrate() {
        std::string message;
        if (!exec("BEGIN IMMEDIATE", &message)) {
            return sqlite_error(db, "starting migration: " + message);
        }
        if (!exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                  "applied_ms INTEGER NOT NULL)",
                  &message)) {
            exec("ROLLBACK");
            return sqlite_error(db, "creating schema_version: " + message);
        }
        auto current = current_version();
        if (!current) {
            exec("ROLLBACK");
            return current.err();
        }
        int version = *current;
        for (const auto & m : ledger_migrations()) {
            if (m.version <= version) {
                continue;
            }
            if (!exec(std::string(m.sql(sql_dialect::sqlite)), &message)) {
                exec("ROLLBACK");
                return sqlite_error(db, "migration " + std::to_string(m.version) + " (" + std::string(m.name) + "): " + message);
            }
            statement st;
            sqlite3_prepare_v2(db, "INSERT INTO schema_version (version, name, applied_ms) VALUES (?, ?, ?)", -1, &st.s, nullptr);
            sqlite3_bind_int(st.s, 1, m.version);
            bind_text(st.s, 2, std::string(m.name));
            sqlite3_bind_int64(st.s, 3, now_ms());
            if (sqlite3_step(st.s) != SQLITE_DONE) {
                exec("ROLLBACK");
                return sqlite_error(db, "recording migration " + std::to_string(m.version));
            }
            version = m.version;
        }
        if (!exec("COMMIT", &message)) {
            exec("ROLLBACK");
            return sqlite_error(db, "committing migrations: " + message);
        }
        return version;
    }
};

sqlite_store::sqlite_store(std::unique_ptr<impl> d) : impl_(std::move(d)) {}
sqlite_store::~sqlite_store() = default;

result<std::unique_ptr<sqlite_store>> sqlite_store::open(const std::string & path) {
    auto d = std::make_unique<impl>();
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &d->db, flags, nullptr) != SQLITE_OK) {
        return error{error_kind::invalid_request, "cannot open ledger database " + path + ": " +
                                                      (d->db ? sqlite3_errmsg(d->db) : "out of memory"),
                     "db", "ledger_open_failed", {}};
    }
    sqlite3_busy_timeout(d->db, 5000);
    std::string message;
    if (!d->exec("PRAGMA journal_mode=WAL", &message) || !d->exec("PRAGMA synchronous=NORMAL", &message)) {
        return sqlite_error(d->db, "configuring " + path + ": " + message);
    }
    auto version = d->migrate();
    if (!version) {
        return version.err();
    }
    const char * insert_request =
        "INSERT INTO requests (request_id, time_ms, key_id, team, route, route_reason, tier, model, provider, "
        "input_tokens, output_tokens, cost_usd, counterfactual_cost_usd, latency_ms, ttft_ms, http_status, error_code, "
        "escalated, attempt_count, pii_counts, tool_calls, retrieved, cache, model_version, trace_id, agent) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (request_id) DO NOTHING";
    const char * insert_attempt =
        "INSERT INTO attempts (request_id, attempt, kind, tier, model, provider, input_tokens, output_tokens, cost_usd, "
        "latency_ms, ttft_ms, http_status, error_code, deployment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (request_id, attempt) DO NOTHING";
    if (sqlite3_prepare_v2(d->db, insert_request, -1, &d->insert_request.s, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(d->db, insert_attempt, -1, &d->insert_attempt.s, nullptr) != SQLITE_OK) {
        return sqlite_error(d->db, "preparing inserts");
    }
    return std::unique_ptr<sqlite_store>(new sqlite_store(std::move(d)));
}

result<int> sqlite_store::schema_version() { return impl_->current_version(); }

result<size_t> sqlite_store::write(const std::vector<usage_record> & batch) {
    auto & d = *impl_;
    std::string message;
    if (!d.exec("BEGIN", &message)) {
        return sqlite_error(d.db, "starting a batch: " + message);
    }
    auto fail = [&](const std::string & what) {
        auto e = sqlite_error(d.db, what);
        d.exec("ROLLBACK");
        return e;
    };
    for (const auto & r : batch) {
        sqlite3_stmt * s = d.insert_request.s;
        sqlite3_reset(s);
        bind_text(s, 1, r.request_id);
        sqlite3_bind_int64(s, 2, r.time_ms);
        bind_text(s, 3, r.key_id);
        bind_text(s, 4, r.team);
        bind_text(s, 5, r.route);
        bind_text(s, 6, r.route_reason);
        bind_text(s, 7, std::string(to_string(r.final_tier)));
        bind_text(s, 8, r.model);
        bind_text(s, 9, r.provider);
        sqlite3_bind_int64(s, 10, r.input_tokens);
        sqlite3_bind_int64(s, 11, r.output_tokens);
        sqlite3_bind_double(s, 12, r.cost_usd);
        sqlite3_bind_double(s, 13, r.counterfactual_cost_usd);
        sqlite3_bind_double(s, 14, r.latency_ms);
        sqlite3_bind_double(s, 15, r.ttft_ms);
        sqlite3_bind_int(s, 16, r.status.http_status);
        bind_text(s, 17, r.status.error_code);
        sqlite3_bind_int(s, 18, r.escalated ? 1 : 0);
        sqlite3_bind_int(s, 19, static_cast<int>(r.attempts.size()));
        bind_text(s, 20, encode_pii_counts(r.pii_counts));
        sqlite3_bind_int64(s, 21, r.tool_calls);
        bind_text(s, 22, r.retrieved);
        bind_text(s, 23, r.cache);
        bind_text(s, 24, r.model_version);
        bind_text(s, 25, r.trace_id);
        bind_text(s, 26, r.agent);
        if (sqlite3_step(s) != SQLITE_DONE) {
            return fail("writing request " + r.request_id);
        }
        for (const auto & a : r.attempts) {
            sqlite3_stmt * t = d.insert_attempt.s;
            sqlite3_reset(t);
            bind_text(t, 1, r.request_id);
            sqlite3_bind_int(t, 2, a.attempt);
            bind_text(t, 3, std::string(to_string(a.kind)));
            bind_text(t, 4, std::string(to_string(a.tier_used)));
            bind_text(t, 5, a.model);
            bind_text(t, 6, a.provider);
            sqlite3_bind_int64(t, 7, a.input_tokens);
            sqlite3_bind_int64(t, 8, a.output_tokens);
            sqlite3_bind_double(t, 9, a.cost_usd);
            sqlite3_bind_double(t, 10, a.latency_ms);
            sqlite3_bind_double(t, 11, a.ttft_ms);
            sqlite3_bind_int(t, 12, a.status.http_status);
            bind_text(t, 13, a.status.error_code);
            bind_text(t, 14, a.deployment);
            if (sqlite3_step(t) != SQLITE_DONE) {
                return fail("writing attempt " + std::to_string(a.attempt) + " of request " + r.request_id);
            }
        }
    }
    if (!d.exec("COMMIT", &message)) {
        auto e = sqlite_error(d.db, "committing a batch: " + message);
        d.exec("ROLLBACK");
        return e;
    }
    return batch.size();
}

result<std::vector<usage_record>> sqlite_store::read(int64_t from_ms, int64_t to_ms, bool with_attempts) {
    auto & d = *impl_;
    std::vector<usage_record> out;
    statement st;
    if (sqlite3_prepare_v2(d.db, select_requests, -1, &st.s, nullptr) != SQLITE_OK) {
        return sqlite_error(d.db, "reading requests");
    }
    sqlite3_bind_int64(st.s, 1, from_ms);
    sqlite3_bind_int64(st.s, 2, to_ms);
    std::map<std::string, size_t> index;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        usage_record r = request_from_row(st.s);
        if (with_attempts) {
            index[r.request_id] = out.size();
        }
        out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(d.db, "reading requests");
    }
    if (!with_attempts || out.empty()) {
        return out;
    }
    statement at;
    if (sqlite3_prepare_v2(d.db,
                           "SELECT a.request_id, a.attempt, a.kind, a.tier, a.model, a.provider, a.input_tokens, "
                           "a.output_tokens, a.cost_usd, a.latency_ms, a.ttft_ms, a.http_status, a.error_code, "
                           "a.deployment FROM attempts a JOIN requests r ON r.request_id = a.request_id "
                           "WHERE r.time_ms >= ? AND r.time_ms < ? ORDER BY a.request_id, a.attempt",
                           -1, &at.s, nullptr) != SQLITE_OK) {
        return sqlite_error(d.db, "reading attempts");
    }
    sqlite3_bind_int64(at.s, 1, from_ms);
    sqlite3_bind_int64(at.s, 2, to_ms);
    while ((rc = sqlite3_step(at.s)) == SQLITE_ROW) {
        auto it = index.find(column_text(at.s, 0));
        if (it == index.end()) {
            continue;
        }
        attempt_record a;
        a.attempt = sqlite3_column_int(at.s, 1);
        a.kind = parse_attempt_kind(column_text(at.s, 2)).value_or(attempt_kind::primary);
        a.tier_used = parse_tier(column_text(at.s, 3)).value_or(tier::slm);
        a.model = column_text(at.s, 4);
        a.provider = column_text(at.s, 5);
        a.input_tokens = sqlite3_column_int64(at.s, 6);
        a.output_tokens = sqlite3_column_int64(at.s, 7);
        a.cost_usd = sqlite3_column_double(at.s, 8);
        a.latency_ms = sqlite3_column_double(at.s, 9);
        a.ttft_ms = sqlite3_column_double(at.s, 10);
        a.status.http_status = sqlite3_column_int(at.s, 11);
        a.status.error_code = column_text(at.s, 12);
        a.deployment = column_text(at.s, 13);
        out[it->second].attempts.push_back(std::move(a));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(d.db, "reading attempts");
    }
    return out;
}

result<int64_t> sqlite_store::scan(int64_t from_ms, int64_t to_ms,
                                   const std::function<void(const usage_record &)> & visit) {
    statement st;
    if (sqlite3_prepare_v2(impl_->db, select_requests, -1, &st.s, nullptr) != SQLITE_OK) {
        return sqlite_error(impl_->db, "reading requests");
    }
    sqlite3_bind_int64(st.s, 1, from_ms);
    sqlite3_bind_int64(st.s, 2, to_ms);
    int64_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        visit(request_from_row(st.s));
        ++n;
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "reading requests");
    }
    return n;
}

result<std::vector<usage_totals>> sqlite_store::totals(const totals_query & q) {
    statement st;
    if (!prepare(impl_->db, totals_sql(q, false), st)) {
        return sqlite_error(impl_->db, "summing requests");
    }
    std::vector<usage_totals> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        usage_totals t;
        t.bucket = sqlite3_column_int64(st.s, 0);
        t.group = column_text(st.s, 1);
        t.requests = sqlite3_column_int64(st.s, 2);
        t.errors = sqlite3_column_int64(st.s, 3);
        t.escalated = sqlite3_column_int64(st.s, 4);
        t.cache_hits = sqlite3_column_int64(st.s, 5);
        t.input_tokens = sqlite3_column_int64(st.s, 6);
        t.output_tokens = sqlite3_column_int64(st.s, 7);
        t.cost_usd = sqlite3_column_double(st.s, 8);
        t.counterfactual_cost_usd = sqlite3_column_double(st.s, 9);
        t.last_ms = sqlite3_column_int64(st.s, 10);
        out.push_back(std::move(t));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "summing requests");
    }
    return out;
}

result<std::vector<usage_record>> sqlite_store::newest(const newest_query & q) {
    statement st;
    if (!prepare(impl_->db, newest_sql(q, request_columns, false), st)) {
        return sqlite_error(impl_->db, "reading requests");
    }
    std::vector<usage_record> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        out.push_back(request_from_row(st.s));
        out.back().attempt_count = sqlite3_column_int64(st.s, 25);
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "reading requests");
    }
    return out;
}

result<int64_t> sqlite_store::count() {
    statement st;
    if (sqlite3_prepare_v2(impl_->db, "SELECT COUNT(*) FROM requests", -1, &st.s, nullptr) != SQLITE_OK ||
        sqlite3_step(st.s) != SQLITE_ROW) {
        return sqlite_error(impl_->db, "counting requests");
    }
    return static_cast<int64_t>(sqlite3_column_int64(st.s, 0));
}

}  // namespace tiergate::ledger
