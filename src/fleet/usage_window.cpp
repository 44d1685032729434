#include "fleet/usage_window.h"

#include <algorithm>

namespace tiergate::fleet {

int64_t usage_window::minute_of(clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::minutes>(t.time_since_epoch()).count();
}

void usage_window::roll(int64_t minute) {
    if (minute != minute_) {
        minute_ = minute;
        requests_ = tokens_ = 0;
        sent_requests_ = sent_tokens_ = 0;
        other_requests_ = other_tokens_ = 0;
    }
}

void usage_window::add_tokens(int64_t tokens, int64_t minute) {
    std::lock_guard lock(mutex_);
    if (minute == minute_) {
        tokens_ += tokens;
    }
}

void usage_window::unsend(const unsent & u) {
    std::lock_guard lock(mutex_);
    if (u.minute == minute_) {
        sent_requests_ -= u.requests;
        sent_tokens_ -= u.tokens;
    }
}

bool usage_window::over(const figures & used, int64_t tokens, int64_t rpm, int64_t tpm) {
    return (rpm > 0 && used.requests >= rpm) || (tpm > 0 && used.tokens > 0 && used.tokens + tokens > tpm);
}

std::optional<int64_t> usage_window::try_add_request(int64_t tokens, int64_t rpm, int64_t tpm,
                                                     clock::time_point now) {
    std::lock_guard lock(mutex_);
    roll(minute_of(now));
    figures used;
    used.requests = requests_ + other_requests_;
    used.tokens = tokens_ + other_tokens_;
    if (over(used, tokens, rpm, tpm)) {
        return std::nullopt;
    }
    ++requests_;
    tokens_ += tokens;
    return minute_;
}

usage_window::figures usage_window::now(clock::time_point now) const {
    std::lock_guard lock(mutex_);
    figures f;
    const int64_t minute = minute_of(now);
    if (minute == minute_) {
        f.requests = requests_ + other_requests_;
        f.tokens = tokens_ + other_tokens_;
    }
    const auto next = clock::time_point(std::chrono::minutes(minute + 1));
    f.until_next_minute = std::chrono::duration_cast<std::chrono::milliseconds>(next - now);
    return f;
}

usage_window::unsent usage_window::take_unsent(clock::time_point now) {
    std::lock_guard lock(mutex_);
    roll(minute_of(now));
    unsent u{minute_, requests_ - sent_requests_, tokens_ - sent_tokens_};
    sent_requests_ = requests_;
    sent_tokens_ = tokens_;
    return u;
}

void usage_window::set_shared(int64_t minute, int64_t requests_total, int64_t tokens_total) {
    std::lock_guard lock(mutex_);
    if (minute != minute_) {
        return;  // a report of a minute that is over
    }
    other_requests_ = std::max<int64_t>(0, requests_total - sent_requests_);
    other_tokens_ = std::max<int64_t>(0, tokens_total - sent_tokens_);
}

}  // namespace tiergate::fleet
