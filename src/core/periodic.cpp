#include "core/periodic.h"

namespace tiergate {

periodic::periodic(std::chrono::milliseconds interval, std::function<void()> fn) {
    thread_ = std::thread([this, interval, fn = std::move(fn)] {
        std::unique_lock lock(mutex_);
        while (!stop_) {
            lock.unlock();
            fn();
            lock.lock();
            cv_.wait_for(lock, interval, [this] { return stop_; });
        }
    });
}

periodic::~periodic() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

}  // namespace tiergate
