#pragma once
// Follows the promotion log in a running gateway: every `interval` it reads
// the entries it has not seen and hands each to `apply` (which loads the
// weights and swaps them in). At start, the latest entry of each model it
// serves is applied first, so a restart keeps the promoted weights. A failed
// apply is logged and the served model stays as it was.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "distill/promotion_log.h"

namespace tiergate::distill {

class promotion_watcher {
  public:
    using apply_fn = std::function<result<bool>(const promotion &)>;
    // `models`: the local models this gateway serves (entries for others are skipped).
    promotion_watcher(std::unique_ptr<promotion_log> log, std::vector<std::string> models, apply_fn apply,
                      std::chrono::milliseconds interval = std::chrono::milliseconds(500));
    ~promotion_watcher();
    promotion_watcher(const promotion_watcher &) = delete;
    promotion_watcher & operator=(const promotion_watcher &) = delete;

    // Applies the latest entry per model, synchronously; then starts following.
    void start();
    uint64_t applied() const { return applied_.load(); }

  private:
    void run();
    void apply(const promotion & p);

    std::unique_ptr<promotion_log> log_;
    std::vector<std::string> models_;
    apply_fn apply_;
    std::chrono::milliseconds interval_;
    int64_t seen_ = 0;
    std::atomic<uint64_t> applied_{0};
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace tiergate::distill
