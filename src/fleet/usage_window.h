#pragma once
// Requests and tokens a deployment took in the current minute (minutes of
// the wall clock, as providers count their RPM and TPM limits). Thread-safe.

#include <chrono>
#include <cstdint>
#include <mutex>

namespace tiergate::fleet {

class usage_window {
  public:
    using clock = std::chrono::system_clock;

    struct figures {
        int64_t requests = 0;
        int64_t tokens = 0;
        std::chrono::milliseconds until_next_minute{0};
    };

    // A call begins with about `tokens` tokens.
    void add_request(int64_t tokens, clock::time_point now = clock::now());
    // Tokens learned later (the answer's, or a correction of the estimate; may be negative).
    void add_tokens(int64_t tokens, clock::time_point now = clock::now());
    figures now(clock::time_point now = clock::now()) const;

  private:
    static int64_t minute_of(clock::time_point t);
    void roll(int64_t minute);

    mutable std::mutex mutex_;
    int64_t minute_ = 0;
    int64_t requests_ = 0;
    int64_t tokens_ = 0;
};

}  // namespace tiergate::fleet
