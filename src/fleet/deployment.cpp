#include "fleet/deployment.h"

#include <algorithm>

namespace tiergate::fleet {

namespace {

constexpr double latency_weight = 0.2;  // of the newest call in the average

}  // namespace

const char * to_string(deployment_state s) {
    switch (s) {
        case deployment_state::ready: return "ready";
        case deployment_state::busy: return "busy";
        case deployment_state::limited: return "limited";
        case deployment_state::cooling: return "cooling";
        case deployment_state::open: return "open";
        case deployment_state::down: return "down";
    }
    return "ready";
}

deployment::deployment(deployment_settings settings, providers::provider & target, bool latency_of_ttft)
    : settings_(std::move(settings)), target_(target), latency_of_ttft_(latency_of_ttft) {}

deployment_state deployment::state(int64_t tokens, clock::time_point now) const {
    if (down_.load(std::memory_order_relaxed)) {
        return deployment_state::down;
    }
    {
        std::lock_guard lock(mutex_);
        if (now < cool_until_) {
            return deployment_state::cooling;
        }
    }
    if (settings_.max_concurrency > 0 && in_flight_.load(std::memory_order_relaxed) >= settings_.max_concurrency) {
        return deployment_state::busy;
    }
    if ((settings_.rpm > 0 || settings_.tpm > 0) &&
        usage_window::over(usage_.now(), tokens, settings_.rpm, settings_.tpm)) {
        return deployment_state::limited;
    }
    const auto health = target_.health();
    if (health.circuit && *health.circuit == "open") {
        return deployment_state::open;
    }
    return deployment_state::ready;
}

std::chrono::milliseconds deployment::retry_in(deployment_state s, clock::time_point now) const {
    switch (s) {
        case deployment_state::cooling: {
            std::lock_guard lock(mutex_);
            return std::max(std::chrono::milliseconds(0),
                            std::chrono::duration_cast<std::chrono::milliseconds>(cool_until_ - now));
        }
        case deployment_state::limited:
            return usage_.now().until_next_minute;
        default:
            return std::chrono::milliseconds(0);
    }
}

std::optional<deployment_state> deployment::try_begin(int64_t tokens) {
    if (settings_.max_concurrency > 0) {
        int64_t now = in_flight_.load(std::memory_order_relaxed);
        do {
            if (now >= settings_.max_concurrency) {
                return deployment_state::busy;
            }
        } while (!in_flight_.compare_exchange_weak(now, now + 1, std::memory_order_relaxed));
    } else {
        in_flight_.fetch_add(1, std::memory_order_relaxed);
    }
    if (!usage_.try_add_request(tokens, settings_.rpm, settings_.tpm)) {
        in_flight_.fetch_sub(1, std::memory_order_relaxed);
        return deployment_state::limited;
    }
    queued_tokens_.fetch_add(tokens, std::memory_order_relaxed);
    return std::nullopt;
}

void deployment::end(const generation_end & end, int64_t estimated_tokens, std::chrono::milliseconds cooldown,
                     clock::time_point now) {
    in_flight_.fetch_sub(1, std::memory_order_relaxed);
    queued_tokens_.fetch_sub(estimated_tokens, std::memory_order_relaxed);
    const int64_t used = end.tokens.prompt_tokens + end.tokens.completion_tokens;
    if (used > 0) {
        usage_.add_tokens(used - estimated_tokens);
    }
    const bool cancelled = end.finish_reason == "cancelled";
    std::lock_guard lock(mutex_);
    if (cancelled) {
        return;  // says nothing about the deployment
    }
    ++requests_;
    if (end.failure) {
        ++errors_;
        if (end.failure->kind == error_kind::rate_limited) {
            const auto rest = end.failure->retry_after_s ? std::chrono::milliseconds(*end.failure->retry_after_s * 1000)
                                                         : cooldown;
            cool_until_ = std::max(cool_until_, now + rest);
        }
        return;
    }
    const double sample = latency_of_ttft_ && end.ttft_ms > 0 ? end.ttft_ms : end.total_ms;
    latency_ms_ = latency_ms_ < 0 ? sample : (1 - latency_weight) * latency_ms_ + latency_weight * sample;
}

void deployment::set_probed(bool healthy) { down_.store(!healthy, std::memory_order_relaxed); }

deployment::figures deployment::now() const {
    figures f;
    f.in_flight = in_flight_.load(std::memory_order_relaxed);
    f.queued_tokens = queued_tokens_.load(std::memory_order_relaxed);
    const auto used = usage_.now();
    f.rpm_used = used.requests;
    f.tpm_used = used.tokens;
    if (settings_.rpm > 0) {
        f.headroom = std::min(f.headroom, 1.0 - static_cast<double>(used.requests) / settings_.rpm);
    }
    if (settings_.tpm > 0) {
        f.headroom = std::min(f.headroom, 1.0 - static_cast<double>(used.tokens) / settings_.tpm);
    }
    f.headroom = std::max(0.0, f.headroom);
    std::lock_guard lock(mutex_);
    f.latency_ms = latency_ms_;
    f.requests = requests_;
    f.errors = errors_;
    return f;
}

}  // namespace tiergate::fleet
