#pragma once
// Counters in this process (one gateway replica): a mutex over a hash map.
#include "ledger/budget_counter.h"

#include <mutex>
#include <unordered_map>

namespace tiergate::ledger {

class memory_counter_backend final : public counter_backend {
  public:
    result<reserve_outcome> reserve(const std::vector<counter_charge> & charges, int64_t now_ms) override;
    result<bool> adjust(const std::vector<counter_delta> & deltas, int64_t now_ms) override;
    result<int64_t> value(const std::string & counter, int64_t now_ms) override;
    size_t size() const;

  private:
    struct entry {
        int64_t value = 0;
        int64_t expire_at_ms = 0;
    };
    void purge_expired(int64_t now_ms);

    mutable std::mutex mutex_;
    std::unordered_map<std::string, entry> counters_;
    uint64_t ops_ = 0;
};

}  // namespace tiergate::ledger
