#include "admin/budget_overrides.h"

#include <sqlite3.h>

#include "core/sqlite_statement.h"

#include <chrono>
#include <cmath>

namespace tiergate::admin {

namespace {

constexpr const char * schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS budget_overrides (
  scope TEXT NOT NULL,
  id TEXT NOT NULL,
  limits TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, id)
);
)sql";


const char * exhausted_name(ledger::exhaust_action a) {
    return a == ledger::exhaust_action::degrade_to_slm ? "degrade_to_slm" : "reject";
}

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

result<std::unique_ptr<budget_overrides>> budget_overrides::open(const std::filesystem::path & path) {
    sqlite3 * db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open " + path.string() + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return error{error_kind::internal, message, "", "budget_store_unavailable", {}};
    }
    sqlite3_busy_timeout(db, 5000);
    std::unique_ptr<budget_overrides> out(new budget_overrides(db, path));
    if (sqlite3_exec(db, schema_sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
        return out->sql_error("cannot create the budget_overrides table");
    }
    return out;
}

budget_overrides::~budget_overrides() { sqlite3_close(db_); }

error budget_overrides::sql_error(const std::string & what) const {
    return {error_kind::internal, what + " in " + path_.string() + ": " + sqlite3_errmsg(db_), "", "budget_store_error",
            {}};
}

result<override_map> budget_overrides::load() {
    sqlite_statement stmt(db_, "SELECT scope, id, limits FROM budget_overrides ORDER BY scope, id");
    if (!stmt.ok()) {
        return sql_error("cannot read budget overrides");
    }
    override_map out;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        auto text = [&](int col) {
            const auto * t = sqlite3_column_text(stmt.get(), col);
            return t == nullptr ? std::string() : std::string(reinterpret_cast<const char *>(t));
        };
        const std::string scope = text(0);
        auto limits = limits_from_json(nlohmann::json::parse(text(2), nullptr, false));
        if ((scope != "key" && scope != "team") || !limits) {
            continue;  // a damaged row sets no limit
        }
        out[{scope == "key" ? ledger::limit_scope::key : ledger::limit_scope::team, text(1)}] = *limits;
    }
    if (rc != SQLITE_DONE) {
        return sql_error("cannot read budget overrides");
    }
    return out;
}

result<std::monostate> budget_overrides::put(ledger::limit_scope scope, const std::string & id,
                                             const ledger::limit_set & limits) {
    sqlite_statement stmt(db_,
                   "INSERT INTO budget_overrides (scope, id, limits, updated_at_ms) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (scope, id) DO UPDATE SET limits = excluded.limits, updated_at_ms = excluded.updated_at_ms");
    if (!stmt.ok()) {
        return sql_error("cannot prepare the budget write");
    }
    const std::string json = limits_to_json(limits).dump();
    sqlite3_bind_text(stmt.get(), 1, ledger::to_string(scope).data(), -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt.get(), 2, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt.get(), 3, json.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt.get(), 4, now_ms());
    if (sqlite3_step(stmt.get()) != SQLITE_DONE) {
        return sql_error("cannot write the budget of " + id);
    }
    return std::monostate{};
}

result<bool> budget_overrides::remove(ledger::limit_scope scope, const std::string & id) {
    sqlite_statement stmt(db_, "DELETE FROM budget_overrides WHERE scope = ? AND id = ?");
    if (!stmt.ok()) {
        return sql_error("cannot prepare the budget removal");
    }
    sqlite3_bind_text(stmt.get(), 1, ledger::to_string(scope).data(), -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt.get(), 2, id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(stmt.get()) != SQLITE_DONE) {
        return sql_error("cannot remove the budget of " + id);
    }
    return sqlite3_changes(db_) > 0;
}

ledger::budget_config merge_overrides(ledger::budget_config base, const override_map & overrides) {
    for (const auto & [who, limits] : overrides) {
        (who.first == ledger::limit_scope::key ? base.keys : base.teams)[who.second] = limits;
    }
    return base;
}

result<ledger::limit_set> limits_from_json(const nlohmann::json & body) {
    if (!body.is_object()) {
        return error::invalid("the body must be a JSON object of limits", "", "invalid_body");
    }
    ledger::limit_set out;
    bool any = false;
    for (const auto & [field, value] : body.items()) {
        const bool usd = field == "usd_per_day" || field == "usd_per_month";
        const bool count = field == "tokens_per_minute" || field == "requests_per_minute";
        if (usd || count) {
            if (value.is_null()) {
                continue;
            }
            if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0 ||
                value.get<double>() > 1e12 || (count && !value.is_number_integer() && !value.is_number_unsigned())) {
                return error::invalid(field + " must be " + (usd ? "a number of dollars" : "a whole number") +
                                          " from 0 to 1e12",
                                      field, "invalid_limit");
            }
            any = true;
            if (field == "usd_per_day") {
                out.usd_per_day = value.get<double>();
            } else if (field == "usd_per_month") {
                out.usd_per_month = value.get<double>();
            } else if (field == "tokens_per_minute") {
                out.tokens_per_minute = value.get<int64_t>();
            } else {
                out.requests_per_minute = value.get<int64_t>();
            }
        } else if (field == "on_usd_exhausted") {
            if (!value.is_string() || (value != "reject" && value != "degrade_to_slm")) {
                return error::invalid("on_usd_exhausted must be reject or degrade_to_slm", field, "invalid_limit");
            }
            out.on_usd_exhausted =
                value == "reject" ? ledger::exhaust_action::reject : ledger::exhaust_action::degrade_to_slm;
        } else {
            return error::invalid("unknown field '" + field.substr(0, 64) +
                                      "' (known: usd_per_day, usd_per_month, tokens_per_minute, requests_per_minute, "
                                      "on_usd_exhausted)",
                                  field.substr(0, 64), "unknown_field");
        }
    }
    if (!any) {
        return error::invalid("set at least one limit (to lift them all, DELETE the budget)", "", "invalid_limit");
    }
    return out;
}

nlohmann::json limits_to_json(const ledger::limit_set & limits) {
    nlohmann::json out = nlohmann::json::object();
    if (limits.usd_per_day) out["usd_per_day"] = *limits.usd_per_day;
    if (limits.usd_per_month) out["usd_per_month"] = *limits.usd_per_month;
    if (limits.tokens_per_minute) out["tokens_per_minute"] = *limits.tokens_per_minute;
    if (limits.requests_per_minute) out["requests_per_minute"] = *limits.requests_per_minute;
    out["on_usd_exhausted"] = exhausted_name(limits.on_usd_exhausted);
    return out;
}

}  // namespace tiergate::admin
