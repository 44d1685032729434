#include "core/work_queue.h"

#include <algorithm>

namespace tiergate {

work_queue::work_queue(size_t threads, size_t capacity) : capacity_(capacity) {
    for (size_t i = 0; i < std::max<size_t>(1, threads); ++i) {
        threads_.emplace_back([this] { serve(); });
    }
}

work_queue::~work_queue() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto & t : threads_) {
        t.join();
    }
}

bool work_queue::post(std::function<void()> job) {
    {
        std::lock_guard lock(mu_);
        if (jobs_.size() >= capacity_ || stopping_) {
            return false;
        }
        jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
    return true;
}

void work_queue::serve() {
    while (true) {
        std::function<void()> job;
        {
            std::unique_lock lock(mu_);
            ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) {
                return;  // stopping, nothing left
            }
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job();
    }
}

}  // namespace tiergate
