#include "admin/privacy_view.h"

#include <map>

namespace tiergate::admin {

std::string_view privacy_action(const ledger::usage_record & r) {
    if (r.route == "guard") {
        return "blocked";
    }
    if (r.model.empty()) {
        return "not_served";  // refused by a budget or the router, or failed before any model
    }
    if (r.provider == "local") {
        return "kept_on_prem";
    }
    return "protected";
}

nlohmann::json privacy_view(const std::vector<ledger::usage_record> & records, const period & p) {
    struct finding {
        int64_t count = 0;
        int64_t requests = 0;
    };
    std::map<std::string, finding> by_type;
    std::map<std::string, int64_t> actions{{"blocked", 0}, {"kept_on_prem", 0}, {"not_served", 0}, {"protected", 0}};
    int64_t with_findings = 0;
    for (const auto & r : records) {
        int64_t found = 0;
        for (const auto & [type, count] : r.pii_counts) {
            if (count > 0) {
                by_type[type].count += count;
                ++by_type[type].requests;
                found += count;
            }
        }
        if (found > 0) {
            ++with_findings;
            ++actions[std::string(privacy_action(r))];
        }
    }
    nlohmann::json findings = nlohmann::json::array();
    for (const auto & [type, f] : by_type) {
        findings.push_back({{"entity_type", type}, {"count", f.count}, {"requests", f.requests}});
    }
    nlohmann::json action_rows = nlohmann::json::array();
    for (const auto & [action, n] : actions) {
        action_rows.push_back({{"action", action}, {"requests", n}});
    }
    return {{"from_ms", p.from_ms},
            {"to_ms", p.to_ms},
            {"requests", static_cast<int64_t>(records.size())},
            {"requests_with_findings", with_findings},
            {"findings", findings},
            {"actions", action_rows}};
}

}  // namespace tiergate::admin
