#pragma once
// The capture the gateway calls (core/answer_capture.h): matches a request's
// scope against the rules, samples, and moves kept calls off the request path
// to one writer thread that appends them to the store in batches (at most
// max_batch calls, or every batch_age_ms). keep() never blocks: when the
// queue is full or the store has reached its size cap the call is dropped,
// counted, and logged once per episode.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "core/answer_capture.h"
#include "distill/distill_settings.h"
#include "distill/capture_store.h"

namespace tiergate::distill {

struct capture_stats {
    uint64_t kept = 0;        // written to the store
    uint64_t dropped_full = 0;   // the store was at its cap
    uint64_t dropped_queue = 0;  // the writer was behind
    uint64_t write_errors = 0;
    int64_t bytes = 0;  // the store's size, as counted
};

class capture_recorder final : public answer_capture {
  public:
    capture_recorder(std::unique_ptr<capture_store> store, capture_settings settings);
    ~capture_recorder() override;
    capture_recorder(const capture_recorder &) = delete;
    capture_recorder & operator=(const capture_recorder &) = delete;

    bool wants(const capture_scope & scope) override;
    void keep(captured_call && call) override;

    // Writes what is queued now; false when that took longer than the timeout.
    bool flush(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    capture_stats stats() const;

  private:
    void run();

    std::unique_ptr<capture_store> store_;
    capture_settings settings_;
    mutable std::mutex mu_;
    std::condition_variable wake_;
    std::condition_variable written_;
    struct queued {
        captured_call call;
        int64_t bytes = 0;  // capture_store::size_of(call), counted once
    };
    std::deque<queued> queue_;
    int64_t queued_bytes_ = 0;
    uint64_t submitted_ = 0;
    uint64_t done_ = 0;
    bool full_logged_ = false;
    bool behind_logged_ = false;
    bool stopping_ = false;
    capture_stats stats_;
    std::thread thread_;
};

}  // namespace tiergate::distill
