#pragma once
// What the guard does with the entities it finds, per virtual key or route
// (filled by the config layer). Rules are read in order: the first rule that
// covers a finding's type decides what happens to it, so an `allow` rule
// listed first carves an exception out of a broader rule after it.

#include "guard/entity_type.h"

#include <vector>

namespace tiergate::guard {

enum class policy_action {
    allow,         // pass through unchanged
    redact,        // replace by "<TYPE>"; not restored
    pseudonymize,  // replace by a consistent placeholder "<TYPE_n>"; restored in the answer
    on_prem_only,  // pass through, but the request must be served on-prem
    block,         // refuse the request
};

const char * to_string(policy_action action);

struct policy_rule {
    policy_action action = policy_action::allow;
    std::vector<entity_type> entities;  // empty: every type
    float min_score = 0.0f;             // findings scored below this are not covered

    bool covers(entity_type type, float score) const;
};

struct guard_policy {
    std::vector<policy_rule> rules;
};

}  // namespace tiergate::guard
