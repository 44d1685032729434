#pragma once
// A generation observer for tests: records deltas, attempts and every on_end.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "core/chat_types.h"
#include "providers/attempt_record.h"
#include "providers/provider.h"

namespace tiergate::testing {

class recording_observer final : public generation_observer, public providers::attempt_listener {
  public:
    void on_delta(generation_delta && delta) override {
        std::lock_guard lock(mutex_);
        text_ += delta.content;
        deltas_.push_back(std::move(delta));
    }
    void on_end(generation_end && end) override {
        std::lock_guard lock(mutex_);
        ++ends_;
        end_ = std::move(end);
        cv_.notify_all();
    }
    bool wanted() const override { return wanted_.load(); }
    // as a client of a whole (unstreamed) answer: what it got so far can be taken back
    bool retractable() const override { return retractable_; }
    void retract() override {
        std::lock_guard lock(mutex_);
        ++retracts_;
        text_.clear();
        deltas_.clear();
    }
    void set_retractable(bool on) { retractable_ = on; }
    int retracts() { std::lock_guard lock(mutex_); return retracts_; }
    void on_attempt(const providers::attempt_record & record) override {
        std::lock_guard lock(mutex_);
        attempts_.push_back(record);
    }

    // Waits for on_end, then a little longer to catch a second one.
    bool wait_end(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
        std::unique_lock lock(mutex_);
        if (!cv_.wait_for(lock, limit, [this] { return ends_ > 0; })) {
            return false;
        }
        lock.unlock();
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        return true;
    }

    std::string text() { std::lock_guard lock(mutex_); return text_; }
    std::vector<generation_delta> deltas() { std::lock_guard lock(mutex_); return deltas_; }
    int ends() { std::lock_guard lock(mutex_); return ends_; }
    generation_end end() { std::lock_guard lock(mutex_); return end_; }
    std::vector<providers::attempt_record> attempts() { std::lock_guard lock(mutex_); return attempts_; }
    void go_away() { wanted_ = false; }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::string text_;
    std::vector<generation_delta> deltas_;
    std::vector<providers::attempt_record> attempts_;
    int ends_ = 0;
    int retracts_ = 0;
    bool retractable_ = false;
    generation_end end_;
    std::atomic<bool> wanted_{true};
};

// Runs one call through `p` and waits for its end; `whole_answer`: as a
// client of an unstreamed answer (what it got can be taken back).
inline std::shared_ptr<recording_observer> run_call(providers::provider & p, const generation_call & c,
                                                    bool whole_answer = false) {
    auto obs = std::make_shared<recording_observer>();
    obs->set_retractable(whole_answer);
    p.generate(c, obs);
    EXPECT_TRUE(obs->wait_end()) << "no on_end within the limit";
    return obs;
}

}  // namespace tiergate::testing
