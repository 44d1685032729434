#pragma once
// Requests and tokens a deployment took in the current minute (minutes of
// the wall clock, as providers count their RPM and TPM limits). Thread-safe.
//
// Shared counting (several gateways in front of one deployment): what this
// gateway counted since its last report is taken with take_unsent() and
// added to a shared counter; the totals that come back are given to
// set_shared(), and now() counts the other gateways' share from then on.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace tiergate::fleet {

class usage_window {
  public:
    using clock = std::chrono::system_clock;

    struct figures {
        int64_t requests = 0;  // this gateway's and, with shared counting, the others' as last reported
        int64_t tokens = 0;
        std::chrono::milliseconds until_next_minute{0};
    };

    // A call of about `tokens` tokens begins, if it keeps within the limits
    // (0: none) by the rule of over(): the minute it is counted in, or
    // nullopt (nothing counted). One step: concurrent calls cannot both take
    // the last request of a minute.
    std::optional<int64_t> try_add_request(int64_t tokens, int64_t rpm, int64_t tpm,
                                           clock::time_point now = clock::now());
    // Would a call of `tokens` tokens pass a limit now? Requests: at the
    // limit already; tokens: past it, unless nothing was used this minute
    // (a call larger than the whole limit still goes, alone).
    static bool over(const figures & used, int64_t tokens, int64_t rpm, int64_t tpm);
    // Tokens learned when a call counted in `minute` ends (the answer's less
    // the estimate; may be negative): counted only while that minute lasts.
    void add_tokens(int64_t tokens, int64_t minute);
    figures now(clock::time_point now = clock::now()) const;

    struct unsent {
        int64_t minute = 0;  // minutes since the Unix epoch
        int64_t requests = 0;
        int64_t tokens = 0;
    };
    // What was counted since the last take, now counted as sent.
    unsent take_unsent(clock::time_point now = clock::now());
    // A report that did not reach the shared counters: counted as unsent again.
    void unsend(const unsent & u);
    // The shared totals of `minute` (every gateway's, this one's sent counts included).
    void set_shared(int64_t minute, int64_t requests_total, int64_t tokens_total);

    static int64_t minute_of(clock::time_point t);

  private:
    void roll(int64_t minute);

    mutable std::mutex mutex_;
    int64_t minute_ = 0;
    int64_t requests_ = 0;
    int64_t tokens_ = 0;
    int64_t sent_requests_ = 0;
    int64_t sent_tokens_ = 0;
    int64_t other_requests_ = 0;
    int64_t other_tokens_ = 0;
};

}  // namespace tiergate::fleet
