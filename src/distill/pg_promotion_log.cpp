#include "distill/pg_promotion_log.h"

#include <chrono>

#include "rag/pg_connection.h"

namespace tiergate::distill {

namespace {

constexpr const char * columns = "id, at_ms, model, path, previous, action, version, student_nll, base_nll, forced";

promotion from_row(const pqxx::row & r) {
    promotion p;
    p.id = r[0].as<int64_t>();
    p.at_ms = r[1].as<int64_t>();
    p.model = r[2].as<std::string>();
    p.path = r[3].as<std::string>();
    p.previous = r[4].as<std::string>();
    p.action = r[5].as<std::string>();
    p.version = r[6].as<int>();
    p.student_nll = r[7].as<double>();
    p.base_nll = r[8].as<double>();
    p.forced = r[9].as<bool>();
    return p;
}

}  // namespace

pg_promotion_log::pg_promotion_log(std::unique_ptr<rag::pg_connection> conn) : conn_(std::move(conn)) {}
pg_promotion_log::~pg_promotion_log() = default;

result<std::unique_ptr<pg_promotion_log>> pg_promotion_log::open(const std::string & url) {
    auto conn = rag::pg_connection::open(url, "promotion log (postgresql)");
    if (!conn) {
        return conn.err();
    }
    auto made = (*conn)->run("creating the promotions table", [](pqxx::connection & c) -> result<bool> {
        pqxx::work tx(c);
        tx.exec0("SET LOCAL client_min_messages TO warning");
        tx.exec("SELECT pg_advisory_xact_lock(7345190022)");
        tx.exec0("CREATE TABLE IF NOT EXISTS promotions (id BIGSERIAL PRIMARY KEY, at_ms BIGINT NOT NULL, model TEXT "
                 "NOT NULL, path TEXT NOT NULL, previous TEXT NOT NULL, action TEXT NOT NULL, version INTEGER NOT NULL, "
                 "student_nll DOUBLE PRECISION NOT NULL, base_nll DOUBLE PRECISION NOT NULL, forced BOOLEAN NOT NULL, "
                 "UNIQUE (model, version))");
        tx.commit();
        return true;
    });
    if (!made) {
        return made.err();
    }
    return std::unique_ptr<pg_promotion_log>(new pg_promotion_log(std::move(*conn)));
}

result<promotion> pg_promotion_log::record(promotion p) {
    if (auto ok = rag::pg_connection::check_text({p.model, p.path, p.previous, p.action}, "promotion"); !ok) {
        return ok.err();
    }
    p.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return conn_->run("recording a promotion", [&](pqxx::connection & c) -> result<promotion> {
        pqxx::work tx(c);
        // one writer per model at a time: versions stay 1, 2, 3, ...
        tx.exec_params("SELECT pg_advisory_xact_lock(hashtext('tiergate-promotions:' || $1))", p.model);
        promotion out = p;
        out.version = tx.exec_params1("SELECT COALESCE(MAX(version), 0) + 1 FROM promotions WHERE model = $1", p.model)[0]
                          .as<int>();
        out.id = tx.exec_params1("INSERT INTO promotions (at_ms, model, path, previous, action, version, student_nll, "
                                 "base_nll, forced) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
                                 out.at_ms, out.model, out.path, out.previous, out.action, out.version, out.student_nll,
                                 out.base_nll, out.forced)[0]
                     .as<int64_t>();
        tx.commit();
        return out;
    });
}

result<std::vector<promotion>> pg_promotion_log::since(int64_t after_id) const {
    return conn_->run("reading promotions", [&](pqxx::connection & c) -> result<std::vector<promotion>> {
        pqxx::read_transaction tx(c);
        std::vector<promotion> out;
        for (const auto & r :
             tx.exec_params(std::string("SELECT ") + columns + " FROM promotions WHERE id > $1 ORDER BY id", after_id)) {
            out.push_back(from_row(r));
        }
        return out;
    });
}

result<std::optional<promotion>> pg_promotion_log::latest(const std::string & model) const {
    return conn_->run("reading promotions", [&](pqxx::connection & c) -> result<std::optional<promotion>> {
        pqxx::read_transaction tx(c);
        auto r = tx.exec_params(
            std::string("SELECT ") + columns + " FROM promotions WHERE model = $1 ORDER BY id DESC LIMIT 1", model);
        if (r.empty()) {
            return std::optional<promotion>();
        }
        return std::optional<promotion>(from_row(r[0]));
    });
}

}  // namespace tiergate::distill
