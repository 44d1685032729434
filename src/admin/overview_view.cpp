#include "admin/overview_view.h"

#include "ledger/usage_record.h"

namespace tiergate::admin {

nlohmann::json overview_view(const std::vector<ledger::usage_totals> & by_tier, const period & p,
                             const std::array<double, 3> & tier_target) {
    ledger::usage_totals all;
    std::array<int64_t, 3> tier_requests{0, 0, 0};
    std::array<double, 3> tier_cost{0, 0, 0};
    int64_t served = 0;
    for (const auto & t : by_tier) {
        all.requests += t.requests;
        all.errors += t.errors;
        all.escalated += t.escalated;
        all.cache_hits += t.cache_hits;
        all.input_tokens += t.input_tokens;
        all.output_tokens += t.output_tokens;
        all.cost_usd += t.cost_usd;
        all.counterfactual_cost_usd += t.counterfactual_cost_usd;
        if (auto tier = ledger::parse_tier(t.group)) {  // "": refused before any model, no tier
            const auto i = static_cast<size_t>(*tier);
            tier_requests[i] += t.requests;
            tier_cost[i] += t.cost_usd;
            served += t.requests;
        }
    }
    nlohmann::json tiers = nlohmann::json::array();
    for (auto t : {ledger::tier::slm, ledger::tier::mid, ledger::tier::frontier}) {
        const auto i = static_cast<size_t>(t);
        tiers.push_back({{"tier", ledger::to_string(t)},
                         {"requests", tier_requests[i]},
                         {"share", served > 0 ? static_cast<double>(tier_requests[i]) / served : 0.0},
                         {"target_share", tier_target[i]},
                         {"cost_usd", tier_cost[i]}});
    }
    const double seconds = static_cast<double>(p.to_ms - p.from_ms) / 1000.0;
    const double n = static_cast<double>(all.requests);
    const double saved = all.counterfactual_cost_usd - all.cost_usd;
    return {{"from_ms", p.from_ms},
            {"to_ms", p.to_ms},
            {"requests", all.requests},
            {"errors", all.errors},
            {"error_rate", all.requests > 0 ? all.errors / n : 0.0},
            {"escalated", all.escalated},
            {"cache_hits", all.cache_hits},
            {"input_tokens", all.input_tokens},
            {"output_tokens", all.output_tokens},
            {"requests_per_s", seconds > 0 ? n / seconds : 0.0},
            {"cost_usd", all.cost_usd},
            {"counterfactual_cost_usd", all.counterfactual_cost_usd},
            {"savings_usd", saved},
            {"savings_pct", all.counterfactual_cost_usd > 0 ? saved / all.counterfactual_cost_usd : 0.0},
            {"tiers", tiers}};
}

}  // namespace tiergate::admin
