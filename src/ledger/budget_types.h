#pragma once
// Budgets and rate limits per API key and per team.
//
// Every limit counts in a fixed window: requests and tokens per UTC minute,
// dollars per UTC day and per UTC month. A request reserves its maximum (one
// request, prompt + max output tokens, the dollar cost of those tokens) on
// every limit that applies, all or nothing, before the provider call; settle
// replaces the reservation by what the call really used. A reservation is
// only granted while used + reserved + this request <= limit, so concurrent
// requests can overspend a limit only by what settles above its reservation.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::ledger {

enum class limit_scope { key, team };
enum class limit_kind { usd_per_day, usd_per_month, tokens_per_minute, requests_per_minute };
// What to do when a dollar budget is exhausted. Token and request rate limits always reject.
enum class exhaust_action { reject, degrade_to_slm };

std::string_view to_string(limit_scope s);
std::string_view to_string(limit_kind k);

struct limit_set {
    std::optional<double> usd_per_day;
    std::optional<double> usd_per_month;
    std::optional<int64_t> tokens_per_minute;
    std::optional<int64_t> requests_per_minute;
    exhaust_action on_usd_exhausted = exhaust_action::reject;
};

struct budget_config {
    std::map<std::string, limit_set> keys;   // by key id
    std::map<std::string, limit_set> teams;  // by team
    std::optional<limit_set> default_key;    // for keys without their own entry
    std::optional<limit_set> default_team;   // for teams without their own entry
    std::string key_prefix = "tg:budget:";   // counter names: prefix + scope:id:kind:window_start
};

struct budget_request {
    std::string key_id;
    std::string team;            // empty: no team limits
    double max_cost_usd = 0.0;   // cost of prompt + max output tokens on the routed model
    int64_t max_tokens = 0;      // prompt + max output tokens
    int64_t now_ms = 0;          // 0: the system clock
};

// One counter a reservation holds.
struct reserved_charge {
    std::string counter;
    limit_kind kind = limit_kind::requests_per_minute;
    int64_t amount = 0;  // micro-dollars, tokens or requests
};

struct reservation {
    std::vector<reserved_charge> charges;
    bool settled = false;
};

struct exhausted_limit {
    limit_scope scope = limit_scope::key;
    std::string id;
    limit_kind kind = limit_kind::requests_per_minute;
    double limit = 0;  // dollars, tokens or requests
    double used = 0;   // used + reserved at the time of the refusal
    int64_t reset_at_ms = 0;
};

// One limit and its current window's use (reserved amounts included).
struct limit_status {
    limit_scope scope = limit_scope::key;
    std::string id;
    limit_kind kind = limit_kind::requests_per_minute;
    double limit = 0;  // dollars, tokens or requests
    double used = 0;
    int64_t reset_at_ms = 0;
    exhaust_action on_exhausted = exhaust_action::reject;
};

enum class budget_verdict { allowed, rejected, degrade_to_slm };

struct budget_decision {
    budget_verdict verdict = budget_verdict::allowed;
    reservation held;                      // when allowed
    std::optional<exhausted_limit> limit;  // when rejected or degraded
    // Seconds until the limit resets (rounded up), for Retry-After.
    int64_t retry_after_s() const;
};

inline constexpr double micro_usd_per_usd = 1e6;

}  // namespace tiergate::ledger
