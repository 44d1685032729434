#include "guard/policy.h"

#include <algorithm>

namespace tiergate::guard {

const char * to_string(policy_action action) {
    switch (action) {
        case policy_action::allow: return "allow";
        case policy_action::redact: return "redact";
        case policy_action::pseudonymize: return "pseudonymize";
        case policy_action::on_prem_only: return "on_prem_only";
        case policy_action::block: return "block";
    }
    return "allow";
}

bool policy_rule::covers(entity_type type, float score) const {
    if (score < min_score) {
        return false;
    }
    return entities.empty() || std::find(entities.begin(), entities.end(), type) != entities.end();
}

}  // namespace tiergate::guard
