#include "cli/shared_usage_counter.h"

#include <chrono>

namespace tiergate::cli {

fleet::shared_count_fn shared_count_in(std::shared_ptr<ledger::counter_backend> counters) {
    return [counters](const std::string & counter, int64_t delta, int64_t expire_at_ms) -> result<int64_t> {
        const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
        if (delta != 0) {
            // a count without a limit: always granted, created with its expiry
            auto added = counters->reserve({{counter, delta, -1, expire_at_ms}}, now_ms);
            if (!added) {
                return added.err();
            }
        }
        return counters->value(counter, now_ms);
    };
}

}  // namespace tiergate::cli
