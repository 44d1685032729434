#include "admin/routing_view.h"

#include <algorithm>
#include <map>

namespace tiergate::admin {

namespace {

constexpr size_t max_reasons = 20;

// [{name_field: name, "requests": n, "share": n/total}], most requests first.
template <class Key, class Fill>
nlohmann::json ranked(const std::map<Key, int64_t> & counts, int64_t total, size_t limit, Fill fill) {
    std::vector<std::pair<Key, int64_t>> items(counts.begin(), counts.end());
    std::stable_sort(items.begin(), items.end(), [](const auto & a, const auto & b) { return a.second > b.second; });
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < items.size() && i < limit; ++i) {
        nlohmann::json row = {{"requests", items[i].second},
                              {"share", total > 0 ? static_cast<double>(items[i].second) / total : 0.0}};
        fill(row, items[i].first);
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace

nlohmann::json routing_view(const std::vector<ledger::usage_record> & records, const period & p) {
    std::map<std::string, int64_t> stages;
    std::map<std::pair<std::string, std::string>, int64_t> reasons;
    std::map<std::pair<std::string, std::string>, int64_t> models;  // model, tier
    int64_t cascade = 0, cascade_escalated = 0, fallbacks = 0, retries = 0, served = 0;
    for (const auto & r : records) {
        ++stages[r.route.empty() ? "(none)" : r.route];
        ++reasons[{r.route, r.route_reason}];
        if (!r.model.empty()) {
            ++models[{r.model, std::string(ledger::to_string(r.final_tier))}];
            ++served;
        }
        if (r.route_reason.find("cascade") != std::string::npos) {
            ++cascade;
            cascade_escalated += r.escalated ? 1 : 0;
        }
        for (const auto & a : r.attempts) {
            fallbacks += a.kind == ledger::attempt_kind::fallback ? 1 : 0;
            retries += a.kind == ledger::attempt_kind::retry ? 1 : 0;
        }
    }
    const auto n = static_cast<int64_t>(records.size());
    return {{"from_ms", p.from_ms},
            {"to_ms", p.to_ms},
            {"requests", n},
            {"stages", ranked(stages, n, stages.size(), [](nlohmann::json & row, const std::string & s) { row["stage"] = s; })},
            {"reasons", ranked(reasons, n, max_reasons,
                               [](nlohmann::json & row, const auto & k) {
                                   row["stage"] = k.first;
                                   row["reason"] = k.second;
                               })},
            {"models", ranked(models, served, models.size(),
                              [](nlohmann::json & row, const auto & k) {
                                  row["model"] = k.first;
                                  row["tier"] = k.second;
                              })},
            {"cascade",
             {{"requests", cascade},
              {"escalated", cascade_escalated},
              {"escalation_rate", cascade > 0 ? static_cast<double>(cascade_escalated) / cascade : 0.0}}},
            {"fallbacks", fallbacks},
            {"retries", retries}};
}

}  // namespace tiergate::admin
