#include "fleet/usage_window.h"

namespace tiergate::fleet {

int64_t usage_window::minute_of(clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::minutes>(t.time_since_epoch()).count();
}

void usage_window::roll(int64_t minute) {
    if (minute != minute_) {
        minute_ = minute;
        requests_ = 0;
        tokens_ = 0;
    }
}

void usage_window::add_request(int64_t tokens, clock::time_point now) {
    std::lock_guard lock(mutex_);
    roll(minute_of(now));
    ++requests_;
    tokens_ += tokens;
}

void usage_window::add_tokens(int64_t tokens, clock::time_point now) {
    std::lock_guard lock(mutex_);
    roll(minute_of(now));
    tokens_ += tokens;
}

usage_window::figures usage_window::now(clock::time_point now) const {
    std::lock_guard lock(mutex_);
    figures f;
    const int64_t minute = minute_of(now);
    if (minute == minute_) {
        f.requests = requests_;
        f.tokens = tokens_;
    }
    const auto next = clock::time_point(std::chrono::minutes(minute + 1));
    f.until_next_minute = std::chrono::duration_cast<std::chrono::milliseconds>(next - now);
    return f;
}

}  // namespace tiergate::fleet
