#pragma once
// Counters behind budgets and rate limits. reserve() adds every charge or none:
// it refuses when a charge with amount > 0 and limit >= 0 would take its
// counter above the limit. adjust() adds signed deltas to counters that still
// exist (a counter whose window has expired is left alone).
#include "core/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tiergate::ledger {

struct counter_charge {
    std::string counter;
    int64_t amount = 0;
    int64_t limit = -1;        // < 0: no limit, only count
    int64_t expire_at_ms = 0;  // Unix ms when the counter's window ends
};

struct reserve_outcome {
    bool granted = false;
    size_t refused_index = 0;  // which charge was refused
    int64_t current = 0;       // that counter's value at the time
};

struct counter_delta {
    std::string counter;
    int64_t delta = 0;
};

class counter_backend {
  public:
    virtual ~counter_backend() = default;
    virtual result<reserve_outcome> reserve(const std::vector<counter_charge> & charges, int64_t now_ms) = 0;
    virtual result<bool> adjust(const std::vector<counter_delta> & deltas, int64_t now_ms) = 0;
    // The counter's value (0 if missing or expired); for tests and diagnostics.
    virtual result<int64_t> value(const std::string & counter, int64_t now_ms) = 0;
};

}  // namespace tiergate::ledger
