#pragma once
// Moves usage records off the request path: submit() puts a record on a
// bounded in-memory queue; one background thread takes them off in batches
// and writes each batch to the store in one transaction (group commit).
//
// Batching: the thread writes when max_batch_size records are waiting, or when
// the oldest waiting record is max_batch_age old, whichever comes first.
//
// Backpressure: the queue holds at most queue_capacity records. When it is
// full, submit() blocks until the writer has made room, submit_for() blocks up
// to a timeout and try_submit() returns submit_status::queue_full at once.
// Records are never dropped by the writer: a failing store is retried (with
// backoff) until it accepts the batch, and the queue filling up is what tells
// the request path that the store is not keeping up.
//
// Durability: shutdown() (and the destructor) stop accepting records, write
// everything queued, and return. After a kill -9 the records lost are those
// not yet committed: at most the records submitted in the last
// max_batch_age + one batch write time, and never more than queue_capacity +
// max_batch_size. With SQLite (WAL, synchronous=NORMAL) a committed batch
// survives a process crash.
#include "core/error.h"
#include "ledger/store.h"
#include "ledger/usage_record.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace tiergate::obs {
struct gateway_metrics;
class gauge;
}

namespace tiergate::ledger {

struct ledger_writer_options {
    size_t queue_capacity = 65536;
    size_t max_batch_size = 2048;
    std::chrono::milliseconds max_batch_age{100};
    std::chrono::milliseconds retry_backoff{50};
    // During shutdown a batch that keeps failing is abandoned after this many
    // attempts (counted in stats::abandoned and logged) so shutdown ends.
    int shutdown_write_attempts = 20;
    obs::gateway_metrics * metrics = nullptr;  // optional: queue depth, written, write errors
};

enum class submit_status { accepted, queue_full, stopped };

struct ledger_writer_stats {
    uint64_t submitted = 0;
    uint64_t written = 0;
    uint64_t batches = 0;
    uint64_t write_errors = 0;
    uint64_t abandoned = 0;
    uint64_t blocked_submits = 0;  // submits that had to wait for room
    size_t queue_depth = 0;
};

class ledger_writer {
  public:
    ledger_writer(std::unique_ptr<store> sink, ledger_writer_options options = {});
    ~ledger_writer();
    ledger_writer(const ledger_writer &) = delete;
    ledger_writer & operator=(const ledger_writer &) = delete;

    // Blocks while the queue is full; stopped after shutdown().
    submit_status submit(usage_record record);
    // Never blocks.
    submit_status try_submit(usage_record record);
    // Blocks at most `timeout` for room.
    submit_status submit_for(usage_record record, std::chrono::milliseconds timeout);

    // Writes everything submitted before the call now, without waiting for the
    // batch age; returns false if that did not finish within the timeout.
    bool flush(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Stops accepting records, writes the queue, stops the thread. Idempotent.
    void shutdown();

    ledger_writer_stats stats() const;
    const ledger_writer_options & options() const { return options_; }

  private:
    enum class wait_mode { block, none, timed };
    submit_status enqueue(usage_record && record, wait_mode mode, std::chrono::milliseconds timeout);
    void run();
    bool write_with_retries(const std::vector<usage_record> & batch);
    void publish_depth(size_t depth);

    std::unique_ptr<store> store_;
    ledger_writer_options options_;
    obs::gauge * depth_gauge_ = nullptr;

    mutable std::mutex mutex_;
    std::condition_variable not_empty_;
    std::condition_variable not_full_;
    std::condition_variable progress_;
    std::deque<usage_record> queue_;
    std::chrono::steady_clock::time_point oldest_since_{};
    bool stopping_ = false;
    bool stopped_ = false;
    uint64_t flush_target_ = 0;
    ledger_writer_stats stats_;
    std::thread thread_;
};

}  // namespace tiergate::ledger
