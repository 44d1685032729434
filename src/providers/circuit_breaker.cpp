#include "providers/circuit_breaker.h"

namespace tiergate::providers {

const char * to_string(circuit_state s) {
    switch (s) {
        case circuit_state::closed: return "closed";
        case circuit_state::open: return "open";
        case circuit_state::half_open: return "half_open";
    }
    return "unknown";
}

bool circuit_breaker::allow(clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (state_ == circuit_state::closed) {
        return true;
    }
    if (state_ == circuit_state::open) {
        if (now < open_until_) {
            return false;
        }
        state_ = circuit_state::half_open;
        probe_in_flight_ = false;
    }
    if (probe_in_flight_) {
        return false;
    }
    probe_in_flight_ = true;
    return true;
}

void circuit_breaker::record_success() {
    std::lock_guard lock(mutex_);
    state_ = circuit_state::closed;
    consecutive_failures_ = 0;
    probe_in_flight_ = false;
}

void circuit_breaker::record_failure(clock::time_point now) {
    std::lock_guard lock(mutex_);
    ++consecutive_failures_;
    if (state_ == circuit_state::half_open || consecutive_failures_ >= options_.failure_threshold) {
        state_ = circuit_state::open;
        open_until_ = now + options_.cool_down;
    }
    probe_in_flight_ = false;
}

void circuit_breaker::record_neutral() {
    std::lock_guard lock(mutex_);
    probe_in_flight_ = false;
}

circuit_state circuit_breaker::state(clock::time_point now) const {
    std::lock_guard lock(mutex_);
    if (state_ == circuit_state::open && now >= open_until_) {
        return circuit_state::half_open;
    }
    return state_;
}

std::chrono::milliseconds circuit_breaker::retry_in(clock::time_point now) const {
    std::lock_guard lock(mutex_);
    if (state_ != circuit_state::open || now >= open_until_) {
        return std::chrono::milliseconds(0);
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(open_until_ - now);
}

}  // namespace tiergate::providers
