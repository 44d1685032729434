#include "engine/worker_pool.h"

#include <algorithm>
#include <exception>

namespace tiergate::engine {

worker_pool::worker_pool(int threads) {
    const int n = std::max(1, threads);
    threads_.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        threads_.emplace_back([this] { run(); });
    }
}

worker_pool::~worker_pool() { shutdown(); }

bool worker_pool::post(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return false;
        }
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

void worker_pool::shutdown() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto & t : threads_) {
        if (t.joinable()) {
            t.join();
        }
    }
}

void worker_pool::run() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) {
                return;  // stopping, and nothing left to run
            }
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        try {
            job();
        } catch (const std::exception &) {
            // a job reports its own failures; this only keeps the thread alive
        }
    }
}

}  // namespace tiergate::engine
