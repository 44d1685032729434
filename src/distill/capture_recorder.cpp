#include "distill/capture_recorder.h"

#include <algorithm>
#include <random>

#include "obs/log.h"
#include "rag/store_location.h"

namespace tiergate::distill {

namespace {

bool allowed(const std::vector<std::string> & list, const std::string & value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

capture_recorder::capture_recorder(std::unique_ptr<capture_store> store, capture_settings settings)
    : store_(std::move(store)), settings_(std::move(settings)) {
    if (auto b = store_->bytes()) {
        stats_.bytes = *b;
    }
    thread_ = std::thread([this] { run(); });
}

capture_recorder::~capture_recorder() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

bool capture_recorder::wants(const capture_scope & scope) {
    const auto & r = settings_.rules;
    if (scope.on_prem_only && !r.on_prem) {
        return false;
    }
    if (!allowed(r.routes, scope.route) || !allowed(r.keys, scope.key_id) || !allowed(r.teams, scope.team) ||
        !allowed(r.tasks, scope.task)) {
        return false;
    }
    if (r.sample >= 1.0) {
        return true;
    }
    thread_local std::minstd_rand rng(std::random_device{}());
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < r.sample;
}

void capture_recorder::keep(captured_call && call) {
    const int64_t size = capture_store::size_of(call);
    {
        std::lock_guard lock(mu_);
        if (stats_.bytes + queued_bytes_ + size > settings_.max_bytes) {
            ++stats_.dropped_full;
            if (!full_logged_) {
                full_logged_ = true;
                TIERGATE_LOG_WARN("distill capture: the store {} is full ({} MiB of {} MiB): new captures are dropped",
                                  rag::store_label(settings_.store), stats_.bytes >> 20, settings_.max_bytes >> 20);
            }
            return;
        }
        if (queue_.size() >= settings_.queue_capacity) {
            ++stats_.dropped_queue;
            if (!behind_logged_) {
                behind_logged_ = true;
                TIERGATE_LOG_WARN("distill capture: the writer is {} calls behind: new captures are dropped until it "
                                  "catches up",
                                  queue_.size());
            }
            return;
        }
        behind_logged_ = false;
        queued_bytes_ += size;
        queue_.push_back({std::move(call), size});
        ++submitted_;
    }
    wake_.notify_one();
}

bool capture_recorder::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    const uint64_t target = submitted_;
    wake_.notify_one();
    return written_.wait_for(lock, timeout, [&] { return done_ >= target; });
}

capture_stats capture_recorder::stats() const {
    std::lock_guard lock(mu_);
    return stats_;
}

void capture_recorder::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        wake_.wait_for(lock, std::chrono::milliseconds(settings_.batch_age_ms),
                       [&] { return stopping_ || queue_.size() >= settings_.max_batch; });
        if (queue_.empty()) {
            if (stopping_) {
                return;
            }
            continue;
        }
        std::vector<captured_call> batch;
        int64_t bytes = 0;
        while (!queue_.empty() && batch.size() < settings_.max_batch) {
            bytes += queue_.front().bytes;
            batch.push_back(std::move(queue_.front().call));
            queue_.pop_front();
        }
        lock.unlock();
        auto written = store_->append(batch);
        lock.lock();
        queued_bytes_ -= bytes;
        done_ += batch.size();
        if (written) {
            stats_.kept += batch.size();
            stats_.bytes += bytes;
        } else {
            // a capture is a sample, never owed: a batch the store refuses is dropped, not retried forever
            ++stats_.write_errors;
            TIERGATE_LOG_WARN("distill capture: {} calls not written: {}", batch.size(), written.err().message);
        }
        written_.notify_all();
    }
}

}  // namespace tiergate::distill
