#include "distill/pg_capture_store.h"

#include <algorithm>

#include "rag/pg_connection.h"

namespace tiergate::distill {

namespace {

std::string without_nul(std::string s) {
    s.erase(std::remove(s.begin(), s.end(), '\0'), s.end());
    return s;
}

constexpr const char * schema =
    "CREATE TABLE IF NOT EXISTS captures ("
    " id BIGSERIAL PRIMARY KEY, at_ms BIGINT NOT NULL, request_id TEXT NOT NULL, task TEXT NOT NULL,"
    " team TEXT NOT NULL, key_id TEXT NOT NULL, route TEXT NOT NULL, model TEXT NOT NULL, tier TEXT NOT NULL,"
    " role TEXT NOT NULL, decision TEXT NOT NULL, messages TEXT NOT NULL, prompt TEXT NOT NULL, answer TEXT NOT NULL,"
    " finish_reason TEXT NOT NULL, prompt_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL,"
    " cost_usd DOUBLE PRECISION NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, bytes BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS captures_task ON captures(task, id);"
    "CREATE INDEX IF NOT EXISTS captures_request ON captures(request_id);";

}  // namespace

pg_capture_store::pg_capture_store(std::unique_ptr<rag::pg_connection> conn) : conn_(std::move(conn)) {}
pg_capture_store::~pg_capture_store() = default;

result<std::unique_ptr<pg_capture_store>> pg_capture_store::open(const std::string & url) {
    auto conn = rag::pg_connection::open(url, "capture store (postgresql)");
    if (!conn) {
        return conn.err();
    }
    auto made = (*conn)->run("creating the captures table", [](pqxx::connection & c) -> result<bool> {
        pqxx::work tx(c);
        tx.exec0("SET LOCAL client_min_messages TO warning");
        tx.exec("SELECT pg_advisory_xact_lock(7345190021)");  // replicas starting together create it once
        tx.exec0(schema);
        tx.commit();
        return true;
    });
    if (!made) {
        return made.err();
    }
    return std::unique_ptr<pg_capture_store>(new pg_capture_store(std::move(*conn)));
}

result<bool> pg_capture_store::append(const std::vector<captured_call> & batch) {
    return conn_->run("writing captures", [&](pqxx::connection & c) -> result<bool> {
        pqxx::work tx(c);
        for (const auto & call : batch) {
            tx.exec_params0(
                "INSERT INTO captures (at_ms, request_id, task, team, key_id, route, model, tier, role, decision, "
                "messages, prompt, answer, finish_reason, prompt_tokens, completion_tokens, cost_usd, latency_ms, bytes) "
                "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)",
                call.at_ms, without_nul(call.request_id), without_nul(call.task), without_nul(call.team),
                without_nul(call.key_id), without_nul(call.route), without_nul(call.model), without_nul(call.tier),
                without_nul(call.role), without_nul(call.decision), without_nul(messages_json(call.messages)),
                without_nul(call.prompt), without_nul(call.answer), without_nul(call.finish_reason), call.prompt_tokens,
                call.completion_tokens, call.cost_usd, call.latency_ms, size_of(call));
        }
        tx.commit();
        return true;
    });
}

result<int64_t> pg_capture_store::rows() const {
    return conn_->run("counting captures", [](pqxx::connection & c) -> result<int64_t> {
        pqxx::read_transaction tx(c);
        return tx.exec1("SELECT COUNT(*) FROM captures")[0].as<int64_t>();
    });
}

result<int64_t> pg_capture_store::bytes() const {
    return conn_->run("sizing captures", [](pqxx::connection & c) -> result<int64_t> {
        pqxx::read_transaction tx(c);
        return tx.exec1("SELECT COALESCE(SUM(bytes), 0) FROM captures")[0].as<int64_t>();
    });
}

result<bool> pg_capture_store::each(const capture_filter & filter,
                                    const std::function<bool(captured_call &&)> & visit) const {
    // in pages, so that a large store is never held in memory whole
    constexpr int page = 1000;
    int64_t after = 0;
    for (;;) {
        std::vector<captured_call> rows;
        auto read = conn_->run("reading captures", [&](pqxx::connection & c) -> result<bool> {
            pqxx::read_transaction tx(c);
            auto r = tx.exec_params(
                "SELECT id, at_ms, request_id, task, team, key_id, route, model, tier, role, decision, messages, "
                "prompt, answer, finish_reason, prompt_tokens, completion_tokens, cost_usd, latency_ms FROM captures "
                "WHERE id > $1 AND ($2 = '' OR task = $2) AND ($3 = '' OR role = $3) AND ($4 = '' OR model = $4) "
                "AND at_ms >= $5 ORDER BY id LIMIT $6",
                after, filter.task, filter.role, filter.model, filter.since_ms, page);
            for (const auto & row : r) {
                after = row[0].as<int64_t>();
                captured_call c;
                c.at_ms = row[1].as<int64_t>();
                c.request_id = row[2].as<std::string>();
                c.task = row[3].as<std::string>();
                c.team = row[4].as<std::string>();
                c.key_id = row[5].as<std::string>();
                c.route = row[6].as<std::string>();
                c.model = row[7].as<std::string>();
                c.tier = row[8].as<std::string>();
                c.role = row[9].as<std::string>();
                c.decision = row[10].as<std::string>();
                c.messages = messages_from(row[11].as<std::string>());
                c.prompt = row[12].as<std::string>();
                c.answer = row[13].as<std::string>();
                c.finish_reason = row[14].as<std::string>();
                c.prompt_tokens = row[15].as<int64_t>();
                c.completion_tokens = row[16].as<int64_t>();
                c.cost_usd = row[17].as<double>();
                c.latency_ms = row[18].as<double>();
                rows.push_back(std::move(c));
            }
            return true;
        });
        if (!read) {
            return read.err();
        }
        for (auto & c : rows) {
            if (!visit(std::move(c))) {
                return true;
            }
        }
        if (rows.size() < static_cast<size_t>(page)) {
            return true;
        }
    }
}

}  // namespace tiergate::distill
