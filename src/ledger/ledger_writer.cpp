#include "ledger/ledger_writer.h"

#include "obs/gateway_metrics.h"
#include "obs/log.h"

namespace tiergate::ledger {

ledger_writer::ledger_writer(std::unique_ptr<store> sink, ledger_writer_options options)
    : store_(std::move(sink)), options_(options) {
    if (options_.queue_capacity == 0) {
        options_.queue_capacity = 1;
    }
    if (options_.max_batch_size == 0) {
        options_.max_batch_size = 1;
    }
    if (options_.metrics != nullptr) {
        depth_gauge_ = &options_.metrics->ledger_queue_depth.with({});
    }
    thread_ = std::thread([this] { run(); });
}

ledger_writer::~ledger_writer() { shutdown(); }

void ledger_writer::publish_depth(size_t depth) {
    if (depth_gauge_ != nullptr) {
        depth_gauge_->set(static_cast<double>(depth));
    }
}

submit_status ledger_writer::submit(usage_record record) {
    return enqueue(std::move(record), wait_mode::block, {});
}

submit_status ledger_writer::try_submit(usage_record record) {
    return enqueue(std::move(record), wait_mode::none, {});
}

submit_status ledger_writer::submit_for(usage_record record, std::chrono::milliseconds timeout) {
    return enqueue(std::move(record), wait_mode::timed, timeout);
}

submit_status ledger_writer::enqueue(usage_record && record, wait_mode mode, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (stopping_) {
        return submit_status::stopped;
    }
    if (queue_.size() >= options_.queue_capacity) {
        if (mode == wait_mode::none) {
            return submit_status::queue_full;
        }
        ++stats_.blocked_submits;
        auto room = [this] { return stopping_ || queue_.size() < options_.queue_capacity; };
        if (mode == wait_mode::block) {
            not_full_.wait(lock, room);
        } else if (!not_full_.wait_for(lock, timeout, room)) {
            return submit_status::queue_full;
        }
        if (stopping_) {
            return submit_status::stopped;
        }
    }
    const bool was_empty = queue_.empty();
    if (was_empty) {
        oldest_since_ = std::chrono::steady_clock::now();
    }
    queue_.push_back(std::move(record));
    ++stats_.submitted;
    const size_t depth = queue_.size();
    lock.unlock();
    // The writer sleeps until the queue is non-empty, then until a batch is
    // full or old enough: only those two events need a wake-up.
    if (was_empty || depth == options_.max_batch_size) {
        not_empty_.notify_one();
    }
    publish_depth(depth);
    return submit_status::accepted;
}

bool ledger_writer::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const uint64_t target = stats_.submitted;
    if (stats_.written + stats_.abandoned >= target) {
        return true;
    }
    flush_target_ = std::max(flush_target_, target);
    not_empty_.notify_one();
    return progress_.wait_for(lock, timeout, [&] { return stats_.written + stats_.abandoned >= target; });
}

void ledger_writer::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (stopped_) {
            return;
        }
        stopping_ = true;
        stopped_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

ledger_writer_stats ledger_writer::stats() const {
    std::lock_guard lock(mutex_);
    auto s = stats_;
    s.queue_depth = queue_.size();
    return s;
}

bool ledger_writer::write_with_retries(const std::vector<usage_record> & batch) {
    int attempts = 0;
    for (;;) {
        auto written = store_->write(batch);
        if (written) {
            return true;
        }
        ++attempts;
        bool stopping;
        {
            std::lock_guard lock(mutex_);
            ++stats_.write_errors;
            stopping = stopping_;
        }
        if (options_.metrics != nullptr) {
            options_.metrics->ledger_write_errors.with({}).inc();
        }
        TIERGATE_LOG_ERROR("ledger: writing a batch of {} records failed (attempt {}): {}", batch.size(), attempts,
                           written.err().message);
        if (stopping && attempts >= options_.shutdown_write_attempts) {
            TIERGATE_LOG_ERROR("ledger: abandoning {} records at shutdown after {} failed attempts", batch.size(),
                               attempts);
            return false;
        }
        std::this_thread::sleep_for(options_.retry_backoff);
    }
}

void ledger_writer::run() {
    std::vector<usage_record> batch;
    batch.reserve(options_.max_batch_size);
    std::unique_lock lock(mutex_);
    for (;;) {
        not_empty_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) {
            break;
        }
        const auto deadline = oldest_since_ + options_.max_batch_age;
        not_empty_.wait_until(lock, deadline, [this] {
            return stopping_ || queue_.size() >= options_.max_batch_size ||
                   (flush_target_ > stats_.written + stats_.abandoned);
        });
        const size_t n = std::min(queue_.size(), options_.max_batch_size);
        batch.clear();
        for (size_t i = 0; i < n; ++i) {
            batch.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        if (!queue_.empty()) {
            oldest_since_ = std::chrono::steady_clock::now();
        }
        const size_t depth = queue_.size();
        lock.unlock();
        not_full_.notify_all();
        publish_depth(depth);

        const bool ok = write_with_retries(batch);
        if (ok && options_.metrics != nullptr) {
            options_.metrics->ledger_records_written.with({}).inc(static_cast<double>(n));
        }
        lock.lock();
        if (ok) {
            stats_.written += n;
            ++stats_.batches;
        } else {
            stats_.abandoned += n;
        }
        progress_.notify_all();
    }
    progress_.notify_all();
}

}  // namespace tiergate::ledger
