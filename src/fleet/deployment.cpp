#include "fleet/deployment.h"

#include <algorithm>

namespace tiergate::fleet {

namespace {

constexpr double latency_weight = 0.2;  // of the newest call in the average
constexpr int64_t max_rest_s = 3600;     // the longest Retry-After a deployment rests for

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

deployment::deployment(deployment_settings settings, providers::provider & target, bool latency_of_ttft,
                       std::shared_ptr<providers::circuit_breaker> breaker)
    : settings_(std::move(settings)), target_(target), latency_of_ttft_(latency_of_ttft), breaker_(std::move(breaker)) {}

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
    if (breaker_ && breaker_->state() == providers::circuit_state::open) {
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

deployment::admission deployment::try_begin(int64_t tokens) {
    if (settings_.max_concurrency > 0) {
        int64_t now = in_flight_.load(std::memory_order_relaxed);
        do {
            if (now >= settings_.max_concurrency) {
                return {deployment_state::busy, 0};
            }
        } while (!in_flight_.compare_exchange_weak(now, now + 1, std::memory_order_relaxed));
    } else {
        in_flight_.fetch_add(1, std::memory_order_relaxed);
    }
    auto minute = usage_.try_add_request(tokens, settings_.rpm, settings_.tpm);
    if (!minute) {
        in_flight_.fetch_sub(1, std::memory_order_relaxed);
        return {deployment_state::limited, 0};
    }
    queued_tokens_.fetch_add(tokens, std::memory_order_relaxed);
    return {std::nullopt, *minute};
}

void deployment::end(const generation_end & end, const outcome & how, std::chrono::milliseconds cooldown,
                     clock::time_point now) {
    in_flight_.fetch_sub(1, std::memory_order_relaxed);
    queued_tokens_.fetch_sub(how.estimated_tokens, std::memory_order_relaxed);
    const int64_t used = end.tokens.prompt_tokens + end.tokens.completion_tokens;
    if (used > 0) {
        usage_.add_tokens(used - how.estimated_tokens, how.minute);
    }
    const bool cancelled = end.finish_reason == "cancelled";
    std::lock_guard lock(mutex_);
    if (cancelled) {
        return;  // says nothing about the deployment
    }
    ++requests_;
    if (end.failure) {
        ++errors_;
        if (end.failure->kind == error_kind::rate_limited && end.failure->retry_after_s) {
            const int64_t seconds = std::clamp<int64_t>(*end.failure->retry_after_s, 0, max_rest_s);
            cool_until_ = std::max(cool_until_, now + std::chrono::seconds(seconds));
        } else if (end.failure->kind == error_kind::rate_limited || how.misconfigured) {
            cool_until_ = std::max(cool_until_, now + cooldown);
        }
        if (end.failure->kind != error_kind::invalid_request || how.misconfigured) {
            // a failing deployment is not the fastest: the latency strategy tries it later
            const double penalty = std::max(end.total_ms, latency_ms_ < 0 ? 1000.0 : 2 * latency_ms_);
            latency_ms_ = latency_ms_ < 0 ? penalty : (1 - latency_weight) * latency_ms_ + latency_weight * penalty;
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
