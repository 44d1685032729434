#include "ledger/budget_memory_counter.h"

namespace tiergate::ledger {

void memory_counter_backend::purge_expired(int64_t now_ms) {
    for (auto it = counters_.begin(); it != counters_.end();) {
        if (it->second.expire_at_ms <= now_ms) {
            it = counters_.erase(it);
        } else {
            ++it;
        }
    }
}

result<reserve_outcome> memory_counter_backend::reserve(const std::vector<counter_charge> & charges, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    if (++ops_ % 4096 == 0) {
        purge_expired(now_ms);
    }
    for (size_t i = 0; i < charges.size(); ++i) {
        const auto & c = charges[i];
        if (c.amount <= 0 || c.limit < 0) {
            continue;
        }
        int64_t current = 0;
        if (auto it = counters_.find(c.counter); it != counters_.end() && it->second.expire_at_ms > now_ms) {
            current = it->second.value;
        }
        if (current + c.amount > c.limit) {
            return reserve_outcome{false, i, current};
        }
    }
    for (const auto & c : charges) {
        auto & e = counters_[c.counter];
        if (e.expire_at_ms <= now_ms) {
            e.value = 0;
        }
        e.value += c.amount;
        e.expire_at_ms = c.expire_at_ms;
    }
    return reserve_outcome{true, 0, 0};
}

result<bool> memory_counter_backend::adjust(const std::vector<counter_delta> & deltas, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    for (const auto & d : deltas) {
        auto it = counters_.find(d.counter);
        if (it != counters_.end() && it->second.expire_at_ms > now_ms) {
            it->second.value += d.delta;
        }
    }
    return true;
}

result<int64_t> memory_counter_backend::value(const std::string & counter, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    auto it = counters_.find(counter);
    if (it == counters_.end() || it->second.expire_at_ms <= now_ms) {
        return int64_t{0};
    }
    return it->second.value;
}

size_t memory_counter_backend::size() const {
    std::lock_guard lock(mutex_);
    return counters_.size();
}

}  // namespace tiergate::ledger
