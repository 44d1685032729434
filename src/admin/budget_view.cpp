#include "admin/budget_view.h"

#include <algorithm>
#include <map>

namespace tiergate::admin {

result<nlohmann::json> budget_rows(const ledger::budget_enforcer & budgets, ledger::limit_scope scope,
                                   const std::string & id, const char * source, int64_t now_ms) {
    auto status = budgets.status(scope, id, now_ms);
    if (!status) {
        return status.err();
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto & s : *status) {
        rows.push_back({{"scope", ledger::to_string(s.scope)},
                        {"id", s.id},
                        {"kind", ledger::to_string(s.kind)},
                        {"limit", s.limit},
                        {"used", s.used},
                        {"remaining", std::max(0.0, s.limit - s.used)},
                        {"reset_at_ms", s.reset_at_ms},
                        {"source", source},
                        {"on_usd_exhausted",
                         s.on_exhausted == ledger::exhaust_action::degrade_to_slm ? "degrade_to_slm" : "reject"}});
    }
    return rows;
}

result<nlohmann::json> budgets_view(const ledger::budget_enforcer & budgets, const ledger::budget_config & base,
                                    const override_map & overrides, const std::vector<auth::key_record> & keys,
                                    int64_t now_ms) {
    std::map<std::pair<ledger::limit_scope, std::string>, const char *> who;
    const auto in_force = budgets.config();
    for (const auto & [id, limits] : base.keys) {
        who[{ledger::limit_scope::key, id}] = "config";
    }
    for (const auto & [id, limits] : base.teams) {
        who[{ledger::limit_scope::team, id}] = "config";
    }
    for (const auto & [k, limits] : overrides) {
        who[k] = "api";
    }
    for (const auto & key : keys) {
        if (key.revoked_at) {
            continue;
        }
        if (in_force->default_key) {
            who.try_emplace({ledger::limit_scope::key, key.id}, "default");
        }
        if (in_force->default_team) {
            who.try_emplace({ledger::limit_scope::team, key.team}, "default");
        }
    }
    nlohmann::json limits = nlohmann::json::array();
    for (const auto & [k, source] : who) {
        auto rows = budget_rows(budgets, k.first, k.second, source, now_ms);
        if (!rows) {
            return rows.err();
        }
        for (auto & row : *rows) {
            limits.push_back(std::move(row));
        }
    }
    return nlohmann::json{{"now_ms", now_ms}, {"limits", limits}};
}

}  // namespace tiergate::admin
