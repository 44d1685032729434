#include "ledger/pg_store.h"

#include "ledger/migrations.h"
#include "ledger/pii_counts_codec.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <map>
#include <variant>

namespace tiergate::ledger {

namespace {

constexpr int64_t migration_lock_id = 7'201'104'417;

error pg_error(const std::string & what, const std::exception & e) {
    return error{error_kind::internal, "ledger (postgresql): " + what + ": " + e.what(), "", "ledger_store_failed", {}};
}

usage_record request_from_row(const pqxx::row & row) {
    usage_record r;
    r.request_id = row[0].as<std::string>();
    r.time_ms = row[1].as<int64_t>();
    r.key_id = row[2].as<std::string>();
    r.team = row[3].as<std::string>();
    r.route = row[4].as<std::string>();
    r.route_reason = row[5].as<std::string>();
    r.final_tier = parse_tier(row[6].as<std::string>()).value_or(tier::slm);
    r.model = row[7].as<std::string>();
    r.provider = row[8].as<std::string>();
    r.input_tokens = row[9].as<int64_t>();
    r.output_tokens = row[10].as<int64_t>();
    r.cost_usd = row[11].as<double>();
    r.counterfactual_cost_usd = row[12].as<double>();
    r.latency_ms = row[13].as<double>();
    r.ttft_ms = row[14].as<double>();
    r.status.http_status = row[15].as<int>();
    r.status.error_code = row[16].as<std::string>();
    r.escalated = row[17].as<int>() != 0;
    r.pii_counts = decode_pii_counts(row[18].as<std::string>());
    r.tool_calls = row[19].as<int64_t>();
    r.retrieved = row[20].as<std::string>();
    r.cache = row[21].as<std::string>();
    r.model_version = row[22].as<std::string>();
    r.trace_id = row[23].as<std::string>();
    r.agent = row[24].as<std::string>();
    return r;
}

constexpr const char * request_columns =
    "request_id, time_ms, key_id, team, route, route_reason, tier, model, provider, input_tokens, output_tokens, "
    "cost_usd, counterfactual_cost_usd, latency_ms, ttft_ms, http_status, error_code, escalated, pii_counts, tool_calls, "
    "retrieved, cache, model_version, trace_id, agent";

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

struct pg_store::impl {
    std::unique_ptr<pqxx::connection> conn;
};

pg_store::pg_store(std::unique_ptr<impl> d) : impl_(std::move(d)) {}
pg_store::~pg_store() = default;

result<std::unique_ptr<pg_store>> pg_store::open(const std::string & url) {
    auto d = std::make_unique<impl>();
    try {
        d->conn = std::make_unique<pqxx::connection>(url);
    } catch (const std::exception & e) {
        // The URL may carry a password: name the failure, not the URL.
        return error{error_kind::invalid_request, std::string("cannot connect to the PostgreSQL ledger: ") + e.what(),
                     "db", "ledger_open_failed", {}};
    }
    try {
        pqxx::work tx(*d->conn);
        tx.exec0("SET LOCAL client_min_messages TO warning");
        tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(migration_lock_id) + ")");
        tx.exec0("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_ms BIGINT NOT NULL)");
        int version = tx.exec1("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0].as<int>();
        for (const auto & m : ledger_migrations()) {
            if (m.version <= version) {
                continue;
            }
            tx.exec0(std::string(m.sql(sql_dialect::postgresql)));
            tx.exec_params0("INSERT INTO schema_version (version, name, applied_ms) VALUES ($1, $2, $3)", m.version,
                            std::string(m.name), now_ms());
            version = m.version;
        }
        tx.commit();
    } catch (const std::exception & e) {
        return pg_error("applying migrations", e);
    }
    return std::unique_ptr<pg_store>(new pg_store(std::move(d)));
}

result<int> pg_store::schema_version() {
    try {
        pqxx::read_transaction tx(*impl_->conn);
        return tx.exec1("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0].as<int>();
    } catch (const std::exception & e) {
        return pg_error("reading schema_version", e);
    }
}

result<size_t> pg_store::write(const std::vector<usage_record> & batch) {
    // Multi-row INSERTs of up to rows_per_statement rows: one round trip per
    // chunk instead of one per record.
    constexpr size_t rows_per_statement = 500;
    try {
        pqxx::work tx(*impl_->conn);
        auto q = [&tx](const auto & v) { return tx.quote(v); };
        for (size_t begin = 0; begin < batch.size(); begin += rows_per_statement) {
            const size_t end = std::min(batch.size(), begin + rows_per_statement);
            std::string requests =
                "INSERT INTO requests (request_id, time_ms, key_id, team, route, route_reason, tier, model, provider, "
                "input_tokens, output_tokens, cost_usd, counterfactual_cost_usd, latency_ms, ttft_ms, http_status, "
                "error_code, escalated, attempt_count, pii_counts, tool_calls, retrieved, cache, model_version, trace_id, agent) VALUES ";
            std::string attempts =
                "INSERT INTO attempts (request_id, attempt, kind, tier, model, provider, input_tokens, output_tokens, "
                "cost_usd, latency_ms, ttft_ms, http_status, error_code, deployment) VALUES ";
            bool any_attempt = false;
            for (size_t i = begin; i < end; ++i) {
                const auto & r = batch[i];
                if (i > begin) {
                    requests += ',';
                }
                requests += "(" + q(r.request_id) + "," + q(r.time_ms) + "," + q(r.key_id) + "," + q(r.team) + "," +
                            q(r.route) + "," + q(r.route_reason) + "," + q(std::string(to_string(r.final_tier))) + "," +
                            q(r.model) + "," + q(r.provider) + "," + q(r.input_tokens) + "," + q(r.output_tokens) + "," +
                            q(r.cost_usd) + "," + q(r.counterfactual_cost_usd) + "," + q(r.latency_ms) + "," +
                            q(r.ttft_ms) + "," + q(r.status.http_status) + "," + q(r.status.error_code) + "," +
                            q(r.escalated ? 1 : 0) + "," + q(static_cast<int>(r.attempts.size())) + "," +
                            q(encode_pii_counts(r.pii_counts)) + "," + q(r.tool_calls) + "," + q(r.retrieved) + "," + q(r.cache) + "," + q(r.model_version) + "," +
                            q(r.trace_id) + "," + q(r.agent) + ")";
                for (const auto & a : r.attempts) {
                    if (any_attempt) {
                        attempts += ',';
                    }
                    any_attempt = true;
                    attempts += "(" + q(r.request_id) + "," + q(a.attempt) + "," + q(std::string(to_string(a.kind))) +
                                "," + q(std::string(to_string(a.tier_used))) + "," + q(a.model) + "," + q(a.provider) +
                                "," + q(a.input_tokens) + "," + q(a.output_tokens) + "," + q(a.cost_usd) + "," +
                                q(a.latency_ms) + "," + q(a.ttft_ms) + "," + q(a.status.http_status) + "," +
                                q(a.status.error_code) + "," + q(a.deployment) + ")";
                }
            }
            if (end > begin) {
                tx.exec0(requests + " ON CONFLICT (request_id) DO NOTHING");
            }
            if (any_attempt) {
                tx.exec0(attempts + " ON CONFLICT (request_id, attempt) DO NOTHING");
            }
        }
        tx.commit();
        return batch.size();
    } catch (const std::exception & e) {
        return pg_error("writing a batch of " + std::to_string(batch.size()) + " records", e);
    }
}

result<std::vector<usage_record>> pg_store::read(int64_t from_ms, int64_t to_ms, bool with_attempts) {
    try {
        pqxx::read_transaction tx(*impl_->conn);
        auto rows = tx.exec_params(
            "SELECT request_id, time_ms, key_id, team, route, route_reason, tier, model, provider, input_tokens, "
            "output_tokens, cost_usd, counterfactual_cost_usd, latency_ms, ttft_ms, http_status, error_code, escalated, "
            "pii_counts, tool_calls, retrieved, cache, model_version, trace_id, agent FROM requests WHERE time_ms >= $1 AND time_ms < $2 ORDER BY time_ms, request_id",
            from_ms, to_ms);
        std::vector<usage_record> out;
        out.reserve(rows.size());
        std::map<std::string, size_t> index;
        for (const auto & row : rows) {
            usage_record r = request_from_row(row);
            if (with_attempts) {
                index[r.request_id] = out.size();
            }
            out.push_back(std::move(r));
        }
        if (with_attempts && !out.empty()) {
            auto attempts = tx.exec_params(
                "SELECT a.request_id, a.attempt, a.kind, a.tier, a.model, a.provider, a.input_tokens, a.output_tokens, "
                "a.cost_usd, a.latency_ms, a.ttft_ms, a.http_status, a.error_code, a.deployment FROM attempts a JOIN requests r "
                "ON r.request_id = a.request_id WHERE r.time_ms >= $1 AND r.time_ms < $2 ORDER BY a.request_id, a.attempt",
                from_ms, to_ms);
            for (const auto & row : attempts) {
                auto it = index.find(row[0].as<std::string>());
                if (it == index.end()) {
                    continue;
                }
                attempt_record a;
                a.attempt = row[1].as<int>();
                a.kind = parse_attempt_kind(row[2].as<std::string>()).value_or(attempt_kind::primary);
                a.tier_used = parse_tier(row[3].as<std::string>()).value_or(tier::slm);
                a.model = row[4].as<std::string>();
                a.provider = row[5].as<std::string>();
                a.input_tokens = row[6].as<int64_t>();
                a.output_tokens = row[7].as<int64_t>();
                a.cost_usd = row[8].as<double>();
                a.latency_ms = row[9].as<double>();
                a.ttft_ms = row[10].as<double>();
                a.status.http_status = row[11].as<int>();
                a.status.error_code = row[12].as<std::string>();
                a.deployment = row[13].as<std::string>();
                out[it->second].attempts.push_back(std::move(a));
            }
        }
        return out;
    } catch (const std::exception & e) {
        return pg_error("reading records", e);
    }
}

result<int64_t> pg_store::scan(int64_t from_ms, int64_t to_ms,
                               const std::function<void(const usage_record &)> & visit) {
    // Pages of page_rows in (time_ms, request_id) order, so memory stays bounded.
    constexpr int page_rows = 20000;
    try {
        pqxx::read_transaction tx(*impl_->conn);
        int64_t n = 0;
        int64_t after_time = from_ms - 1;
        std::string after_id;
        for (;;) {
            auto rows = tx.exec_params(std::string("SELECT ") + request_columns +
                                           " FROM requests WHERE time_ms >= $1 AND time_ms < $2 AND "
                                           "(time_ms, request_id) > ($3, $4) ORDER BY time_ms, request_id LIMIT $5",
                                       from_ms, to_ms, after_time, after_id, page_rows);
            for (const auto & row : rows) {
                auto r = request_from_row(row);
                after_time = r.time_ms;
                after_id = r.request_id;
                visit(r);
                ++n;
            }
            if (rows.size() < static_cast<size_t>(page_rows)) {
                return n;
            }
        }
    } catch (const std::exception & e) {
        return pg_error("reading records", e);
    }
}

namespace {

// Every parameter as text; PostgreSQL infers each one's type from where it stands.
std::vector<std::string> params_of(const sql_text & q) {
    std::vector<std::string> out;
    for (const auto & p : q.params) {
        out.push_back(std::holds_alternative<int64_t>(p) ? std::to_string(std::get<int64_t>(p)) : std::get<std::string>(p));
    }
    return out;
}

}  // namespace

result<std::vector<usage_totals>> pg_store::totals(const totals_query & q) {
    try {
        pqxx::read_transaction tx(*impl_->conn);
        const sql_text text = totals_sql(q, true);
        std::vector<usage_totals> out;
        for (const auto & row : tx.exec_params(text.sql, pqxx::prepare::make_dynamic_params(params_of(text)))) {
            usage_totals t;
            t.bucket = row[0].as<int64_t>();
            t.group = row[1].as<std::string>();
            t.requests = row[2].as<int64_t>();
            t.errors = row[3].as<int64_t>();
            t.escalated = row[4].as<int64_t>();
            t.cache_hits = row[5].as<int64_t>();
            t.input_tokens = row[6].as<int64_t>();
            t.output_tokens = row[7].as<int64_t>();
            t.cost_usd = row[8].as<double>();
            t.counterfactual_cost_usd = row[9].as<double>();
            t.last_ms = row[10].as<int64_t>();
            out.push_back(std::move(t));
        }
        return out;
    } catch (const std::exception & e) {
        return pg_error("summing requests", e);
    }
}

result<std::vector<usage_record>> pg_store::newest(const newest_query & q) {
    try {
        pqxx::read_transaction tx(*impl_->conn);
        const sql_text text = newest_sql(q, request_columns, true);
        std::vector<usage_record> out;
        for (const auto & row : tx.exec_params(text.sql, pqxx::prepare::make_dynamic_params(params_of(text)))) {
            out.push_back(request_from_row(row));
            out.back().attempt_count = row[25].as<int64_t>();
        }
        return out;
    } catch (const std::exception & e) {
        return pg_error("reading records", e);
    }
}

result<int64_t> pg_store::count() {
    try {
        pqxx::read_transaction tx(*impl_->conn);
        return tx.exec1("SELECT COUNT(*) FROM requests")[0].as<int64_t>();
    } catch (const std::exception & e) {
        return pg_error("counting requests", e);
    }
}

}  // namespace tiergate::ledger
