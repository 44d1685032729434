#pragma once
// A circuit breaker for one upstream: after `failure_threshold` consecutive
// failures it opens and calls are refused without a request for `cool_down`;
// then one probe is let through (half-open). A probe that succeeds closes it,
// one that fails opens it again. Thread-safe.

#include <chrono>
#include <mutex>
#include <string>

namespace tiergate::providers {

struct circuit_breaker_options {
    int failure_threshold = 5;
    std::chrono::milliseconds cool_down{30'000};
};

enum class circuit_state { closed, open, half_open };
const char * to_string(circuit_state s);

class circuit_breaker {
  public:
    using clock = std::chrono::steady_clock;
    explicit circuit_breaker(circuit_breaker_options options = {}) : options_(options) {}

    // May a request go out now? In half-open state only one probe at a time.
    bool allow(clock::time_point now = clock::now());
    void record_success();
    void record_failure(clock::time_point now = clock::now());
    // An allowed request that ended without telling anything about the
    // upstream's health (the client left): frees the half-open probe slot.
    void record_neutral();
    circuit_state state(clock::time_point now = clock::now()) const;
    // Time left until a probe is allowed, zero when not open.
    std::chrono::milliseconds retry_in(clock::time_point now = clock::now()) const;

  private:
    circuit_breaker_options options_;
    mutable std::mutex mutex_;
    circuit_state state_ = circuit_state::closed;
    int consecutive_failures_ = 0;
    bool probe_in_flight_ = false;
    clock::time_point open_until_{};
};

}  // namespace tiergate::providers
