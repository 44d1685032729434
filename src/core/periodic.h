#pragma once
// A thread that runs `fn` at once and then every `interval` until destroyed.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace tiergate {

class periodic {
  public:
    periodic(std::chrono::milliseconds interval, std::function<void()> fn);
    ~periodic();  // waits for a run in progress
    periodic(const periodic &) = delete;
    periodic & operator=(const periodic &) = delete;

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace tiergate
