#pragma once
// One deployment of a pool: where calls go (a remote provider with its own
// circuit breaker, or an in-process model) and what the pool knows of it now:
// calls in flight, average latency, usage this minute, cooldown after a 429,
// the result of its last active health check. Thread-safe.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/chat_types.h"
#include "fleet/pool_settings.h"
#include "fleet/usage_window.h"
#include "providers/circuit_breaker.h"
#include "providers/provider.h"

namespace tiergate::fleet {

// Why a deployment may or may not take a call now. Only `ready` takes one;
// the others are skipped, not failed.
enum class deployment_state {
    ready,
    busy,     // max_concurrency calls in flight
    limited,  // over its RPM or TPM this minute
    cooling,  // answered 429 (rate limited) and rests
    open,     // its circuit breaker is open after errors
    down,     // its active health check failed
};
const char * to_string(deployment_state s);

class deployment {
  public:
    using clock = std::chrono::steady_clock;

    // `breaker`: the remote deployment's circuit breaker (the one its provider
    // uses), read directly on the request path; null for an in-process model.
    deployment(deployment_settings settings, providers::provider & target, bool latency_of_ttft,
               std::shared_ptr<providers::circuit_breaker> breaker = nullptr);

    const deployment_settings & settings() const { return settings_; }
    const std::string & name() const { return settings_.name; }
    providers::provider & target() const { return target_; }

    // May a call of about `tokens` prompt tokens go now?
    deployment_state state(int64_t tokens, clock::time_point now = clock::now()) const;
    // How long until a deployment in state `s` may take calls again (0 when unknown).
    std::chrono::milliseconds retry_in(deployment_state s, clock::time_point now = clock::now()) const;

    // A call goes to it with about `tokens` prompt tokens, if its
    // concurrency and RPM/TPM still allow (checked and counted in one step:
    // of two concurrent calls only one takes a last free place).
    struct admission {
        std::optional<deployment_state> refused;  // set: nothing was counted
        int64_t minute = 0;                       // the usage minute the call is counted in
    };
    admission try_begin(int64_t tokens);

    // How a call that went to it ended.
    struct outcome {
        int64_t estimated_tokens = 0;  // what try_begin was given
        int64_t minute = 0;            // what try_begin answered
        // it failed for a reason of its own that lasts (its key refused, the
        // model unknown to it): it rests like after a 429
        bool misconfigured = false;
    };
    // The call ended: its latency, tokens and outcome. A 429 rests it for its
    // Retry-After (at most an hour), else `cooldown`; a failure of its own
    // counts as a slow call for the latency strategy.
    void end(const generation_end & end, const outcome & how, std::chrono::milliseconds cooldown,
             clock::time_point now = clock::now());
    // The result of an active health check.
    void set_probed(bool healthy);

    struct figures {
        int64_t in_flight = 0;
        int64_t queued_tokens = 0;
        double latency_ms = -1.0;  // exponentially weighted average; < 0: none yet
        int64_t requests = 0;      // calls ended since start
        int64_t errors = 0;
        int64_t rpm_used = 0;      // this minute
        int64_t tpm_used = 0;
        double headroom = 1.0;     // 0..1, the smaller share left of RPM and TPM
    };
    figures now() const;

    // Its usage this minute, for counting shared with other gateways.
    usage_window & usage() { return usage_; }

  private:
    deployment_settings settings_;
    providers::provider & target_;
    bool latency_of_ttft_;
    std::shared_ptr<providers::circuit_breaker> breaker_;
    std::atomic<int64_t> in_flight_{0};
    std::atomic<int64_t> queued_tokens_{0};
    std::atomic<bool> down_{false};
    usage_window usage_;
    mutable std::mutex mutex_;
    double latency_ms_ = -1.0;
    int64_t requests_ = 0;
    int64_t errors_ = 0;
    clock::time_point cool_until_{};
};

}  // namespace tiergate::fleet
