#pragma once
// The `guard` section of the config, read strictly:
//
//   guard:
//     enabled: true
//     policy: standard            # the policy of requests without a more specific one
//     policies:                   # named policies: ordered rules, first covering rule decides
//       strict:
//         - { action: block, entities: [PRIVATE_KEY, API_KEY] }
//         - { action: on_prem_only, entities: [US_SSN, CREDIT_CARD], min_score: 0.5 }
//         - { action: pseudonymize }          # no entities: every type
//     keys:   { key_0123456789abcdef: strict }   # per virtual key id
//     teams:  { finance: strict }                # per team
//     models: { auto: standard }                 # per requested model name (route)
//     custom_patterns:
//       - { name: EMPLOYEE_ID, regex: "EMP-[0-9]{6}", score: 0.9 }
//
// Precedence: key, then team, then the requested model, then `policy`.
// Without `policy` the built-in "standard" policy applies (see
// builtin_standard_policy); it may be redefined under `policies`.

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_error.h"
#include "guard/policy.h"
#include "guard/scanner.h"

namespace tiergate::gateway {

struct guard_settings {
    bool enabled = true;
    std::map<std::string, guard::guard_policy> policies;  // by name; "standard" always present
    std::string default_policy = "standard";
    std::map<std::string, std::string> by_key;    // key id -> policy name
    std::map<std::string, std::string> by_team;   // team -> policy name
    std::map<std::string, std::string> by_model;  // requested model name -> policy name
    std::vector<guard::custom_pattern> custom_patterns;

    // The policy for a request; never null. `declared` (a specialist agent's
    // own policy) is taken over the key's, team's and model's when it names one.
    const guard::guard_policy & policy_for(const std::string & key_id, const std::string & team,
                                           const std::string & requested_model, std::string * name = nullptr,
                                           const std::string & declared = {}) const;
    // The policy of that name; the standard one when there is none.
    const guard::guard_policy & policy_named(const std::string & name) const;
};

// block private keys; keep secrets, cards, bank accounts, SSNs and driver
// licences on-prem; pseudonymize people, addresses, e-mail, phone numbers and
// IP addresses before they leave; allow dates, places, organizations, URLs.
guard::guard_policy builtin_standard_policy();

// The same policy for a model that does not leave the network: what would be
// pseudonymized passes unchanged (redaction and blocking still apply).
guard::guard_policy on_prem_variant(const guard::guard_policy & policy);

guard_settings read_guard_settings(const config::config & cfg, config::config_errors & errors);

}  // namespace tiergate::gateway
