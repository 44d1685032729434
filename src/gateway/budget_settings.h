#pragma once
// The `budgets` section of the config, read strictly:
//
//   budgets:
//     default_key:  { usd_per_day: 5, requests_per_minute: 600 }
//     default_team: { usd_per_month: 500, on_usd_exhausted: degrade_to_slm }
//     keys:  { key_0123456789abcdef: { usd_per_day: 1, tokens_per_minute: 20000 } }
//     teams: { research: { usd_per_month: 100 } }
//     redis: redis://127.0.0.1:6379/0   # counters shared by replicas; absent: in this process
//     default_max_tokens: 1024          # output tokens reserved (and enforced) for a request
//                                       # that sets no max_tokens while a limit applies to it
//
// Requests without a virtual key (keyless on loopback) count as the key "keyless".

#include <optional>
#include <string>

#include "config/config.h"
#include "config/config_error.h"
#include "ledger/budget_types.h"

namespace tiergate::gateway {

struct budget_settings {
    ledger::budget_config limits;
    std::string redis_url;  // empty: in-process counters
    int default_max_tokens = 1024;
    bool any() const {
        return !limits.keys.empty() || !limits.teams.empty() || limits.default_key || limits.default_team;
    }
};

budget_settings read_budget_settings(const config::config & cfg, config::config_errors & errors);

}  // namespace tiergate::gateway
