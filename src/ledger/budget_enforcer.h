#pragma once
// Reserve before a provider call, settle after it. Thread-safe (the counter
// backend serializes); never throws.
//
//   auto d = enforcer.reserve({key_id, team, max_cost_usd, max_tokens});
//   if (!d) -> the counter store failed (503)
//   d->verdict == rejected        -> 429 with budget_error(*d) (Retry-After = d->retry_after_s())
//   d->verdict == degrade_to_slm  -> route to the SLM tier and reserve again with its cost (0)
//   d->verdict == allowed         -> call; then enforcer.settle(d->held, real_cost_usd, real_tokens)
//                                    or enforcer.release(d->held) if nothing was spent
#include "core/error.h"
#include "ledger/budget_counter.h"
#include "ledger/budget_types.h"

#include <memory>
#include <mutex>
#include <vector>

namespace tiergate::ledger {

class budget_enforcer {
  public:
    budget_enforcer(budget_config config, counter_backend & counters);

    result<budget_decision> reserve(const budget_request & request);
    // Replaces the reservation by the real use. The request itself stays counted.
    result<bool> settle(reservation & held, double cost_usd, int64_t tokens, int64_t now_ms = 0);
    // Returns the reserved dollars and tokens (the request stays counted).
    result<bool> release(reservation & held, int64_t now_ms = 0);

    // The limits in force; replaced whole by set_config (a reservation
    // already made keeps its counters, the next one uses the new limits).
    std::shared_ptr<const budget_config> config() const;
    void set_config(budget_config config);
    // Whether any limit applies to a request of this key and team.
    bool applies(const std::string & key_id, const std::string & team) const;
    // Every limit that applies to one key or team (its own, else its scope's
    // default) with what its current window has used; empty: no limit applies.
    result<std::vector<limit_status>> status(limit_scope scope, const std::string & id, int64_t now_ms = 0) const;

  private:
    mutable std::mutex config_mutex_;  // held only to copy or swap the pointer
    std::shared_ptr<const budget_config> config_;
    counter_backend & counters_;
};

// The 429 error for a refused reservation: names the scope, id, limit and the
// reset time; retry_after_s set.
error budget_error(const budget_decision & decision);

// Fixed UTC windows containing now_ms: [start, end).
struct time_window {
    int64_t start_ms = 0;
    int64_t end_ms = 0;
};
time_window window_for(limit_kind kind, int64_t now_ms);
int64_t system_now_ms();
std::string format_utc(int64_t ms);  // 2026-11-26T00:00:00Z

}  // namespace tiergate::ledger
