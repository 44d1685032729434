#include "admin/distillation_view.h"

#include "ledger/report.h"

namespace tiergate::admin {

nlohmann::json distillation_view(const std::vector<ledger::usage_record> & records, const period & p,
                                 const providers::registry & models) {
    const auto report = ledger::build_report(records, p.from_ms, p.to_ms);
    nlohmann::json periods = nlohmann::json::array();
    for (const auto & v : report.versions) {
        periods.push_back({{"model", v.model},
                           {"version", v.version},
                           {"from_ms", v.from_ms},
                           {"to_ms", v.to_ms},
                           {"requests", v.requests},
                           {"slm_requests", v.slm_requests},
                           {"slm_share", v.slm_share},
                           {"cost_usd", v.cost_usd},
                           {"counterfactual_cost_usd", v.counterfactual_cost_usd},
                           {"savings_usd", v.savings_usd}});
    }
    nlohmann::json serving = nlohmann::json::array();
    for (const auto & provider : models.all()) {
        if (auto version = provider->health().version) {
            serving.push_back({{"model", provider->name()}, {"version", *version}});
        }
    }
    return {{"from_ms", p.from_ms}, {"to_ms", p.to_ms}, {"periods", periods}, {"serving", serving}};
}

}  // namespace tiergate::admin
