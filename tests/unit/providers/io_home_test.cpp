// Remote calls begun on a thread with an io_home (a server I/O thread) stay
// on that thread: every attempt, the retry's wait and every observer
// callback; calls begun elsewhere run on the shared runtime's thread. A
// home's calls still in flight when its loop stops are destroyed with the
// loop, without an end.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "core/io_home.h"
#include "fault_upstream.h"
#include "providers/make_remote_provider.h"
#include "test_models.h"

namespace tiergate::testing {
namespace {

using tcp = boost::asio::ip::tcp;
using namespace std::chrono_literals;

const std::string answer =
    R"({"id":"c1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant",)"
    R"("content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})";

upstream_script always_answers() {
    return [](tcp::socket & s, const upstream_request &, int, fault_upstream &) { fault_upstream::respond(s, 200, answer); };
}

// Notes the thread of every callback and how the call ended.
class thread_noting_observer final : public generation_observer {
  public:
    explicit thread_noting_observer(std::shared_ptr<std::atomic<int>> destroyed = nullptr)
        : destroyed_(std::move(destroyed)) {}
    ~thread_noting_observer() override {
        if (destroyed_) {
            ++*destroyed_;
        }
    }
    void on_delta(generation_delta && delta) override {
        std::lock_guard lock(mutex_);
        threads_.insert(std::this_thread::get_id());
        text_ += delta.content;
    }
    void on_end(generation_end && end) override {
        {
            std::lock_guard lock(mutex_);
            threads_.insert(std::this_thread::get_id());
            failed_ = end.failure.has_value();
            ++ends_;
        }
        ended_.set_value();
    }
    bool wanted() const override { return true; }

    bool wait_end() { return ended_future_.wait_for(10s) == std::future_status::ready; }
    std::set<std::thread::id> threads() { std::lock_guard lock(mutex_); return threads_; }
    std::string text() { std::lock_guard lock(mutex_); return text_; }
    bool failed() { std::lock_guard lock(mutex_); return failed_; }
    int ends() { std::lock_guard lock(mutex_); return ends_; }

  private:
    std::shared_ptr<std::atomic<int>> destroyed_;
    std::mutex mutex_;
    std::set<std::thread::id> threads_;
    std::string text_;
    bool failed_ = false;
    int ends_ = 0;
    std::promise<void> ended_;
    std::future<void> ended_future_ = ended_.get_future();
};

// An event loop on its own thread, the thread's home while it runs.
class home_thread {
  public:
    home_thread() {
        thread_ = std::thread([this] {
            io_home home(loop_);
            io_home::scope here(home);
            id_.set_value(std::this_thread::get_id());
            loop_.run();
        });
        thread_id_ = id_.get_future().get();
    }
    ~home_thread() { stop(); }

    template <class F>
    void run_there(F && f) {
        boost::asio::post(loop_, std::forward<F>(f));
    }
    void stop() {
        guard_.reset();
        loop_.stop();
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    std::thread::id id() const { return thread_id_; }

  private:
    boost::asio::io_context loop_{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_ = boost::asio::make_work_guard(loop_);
    std::promise<std::thread::id> id_;
    std::thread::id thread_id_;
    std::thread thread_;
};

generation_call chat() {
    generation_call c;
    c.model = "client-name";
    c.messages = {{"user", "hi", ""}};
    c.stream = false;
    return c;
}

class io_home_test : public ::testing::Test {
  protected:
    void SetUp() override { context_ = providers::remote_context::make({100, 30'000ms}); }
    void TearDown() override { context_.close(); }

    std::unique_ptr<providers::provider> make(const config::model_config & m) {
        auto p = providers::make_remote_provider(m, context_);
        EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.err().message);
        return p.ok() ? std::move(*p) : nullptr;
    }

    providers::remote_context context_;
};

TEST_F(io_home_test, a_call_begun_on_a_home_runs_there_with_its_retry) {
    // the first attempt fails (503), the second answers: both, the backoff
    // between them and every callback on the home's thread
    fault_upstream up([](tcp::socket & s, const upstream_request &, int index, fault_upstream &) {
        if (index == 0) {
            fault_upstream::respond(s, 503, R"({"error":{"message":"busy","type":"server_error"}})");
        } else {
            fault_upstream::respond(s, 200, answer);
        }
    });
    auto p = make(remote_model("m", up.url(), config::provider_kind::openai_compatible, 2));
    ASSERT_TRUE(p);
    home_thread home;
    auto obs = std::make_shared<thread_noting_observer>();
    home.run_there([&p, obs] { p->generate(chat(), obs); });
    ASSERT_TRUE(obs->wait_end());
    EXPECT_FALSE(obs->failed());
    EXPECT_EQ(obs->text(), "Hello");
    EXPECT_EQ(up.requests(), 2);
    EXPECT_EQ(obs->threads(), std::set<std::thread::id>{home.id()});
}

TEST_F(io_home_test, a_call_begun_off_a_home_runs_on_the_runtime_thread) {
    fault_upstream up(always_answers());
    auto p = make(remote_model("m", up.url()));
    ASSERT_TRUE(p);
    home_thread home;
    auto obs = std::make_shared<thread_noting_observer>();
    p->generate(chat(), obs);
    ASSERT_TRUE(obs->wait_end());
    EXPECT_FALSE(obs->failed());
    const auto threads = obs->threads();
    ASSERT_EQ(threads.size(), 1u);
    EXPECT_NE(*threads.begin(), std::this_thread::get_id());
    EXPECT_NE(*threads.begin(), home.id());
}

TEST_F(io_home_test, calls_on_two_homes_each_stay_on_their_own) {
    fault_upstream up(always_answers());
    auto p = make(remote_model("m", up.url()));
    ASSERT_TRUE(p);
    home_thread a;
    home_thread b;
    std::vector<std::shared_ptr<thread_noting_observer>> on_a, on_b;
    for (int i = 0; i < 4; ++i) {
        on_a.push_back(std::make_shared<thread_noting_observer>());
        on_b.push_back(std::make_shared<thread_noting_observer>());
        a.run_there([&p, obs = on_a.back()] { p->generate(chat(), obs); });
        b.run_there([&p, obs = on_b.back()] { p->generate(chat(), obs); });
    }
    for (int i = 0; i < 4; ++i) {
        ASSERT_TRUE(on_a[i]->wait_end());
        ASSERT_TRUE(on_b[i]->wait_end());
        EXPECT_EQ(on_a[i]->text(), "Hello");
        EXPECT_EQ(on_b[i]->text(), "Hello");
        EXPECT_EQ(on_a[i]->threads(), std::set<std::thread::id>{a.id()});
        EXPECT_EQ(on_b[i]->threads(), std::set<std::thread::id>{b.id()});
    }
    EXPECT_EQ(up.requests(), 8);
}

TEST_F(io_home_test, a_call_in_flight_when_its_home_stops_ends_with_the_loop_without_an_end) {
    fault_upstream up([](tcp::socket &, const upstream_request &, int, fault_upstream & server) { server.pause(2s); });
    auto p = make(remote_model("m", up.url()));
    ASSERT_TRUE(p);
    auto destroyed = std::make_shared<std::atomic<int>>(0);
    auto home = std::make_unique<home_thread>();
    auto obs = std::make_shared<thread_noting_observer>(destroyed);
    home->run_there([&p, obs] { p->generate(chat(), obs); });
    for (int i = 0; i < 400 && up.requests() == 0; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_EQ(up.requests(), 1);
    std::this_thread::sleep_for(20ms);  // sent; the call waits for the answer
    std::weak_ptr<thread_noting_observer> watch = obs;
    obs.reset();
    home->stop();
    EXPECT_EQ(destroyed->load(), 0);  // the stopped loop still holds it
    home.reset();                     // the loop is destroyed: so is the call
    EXPECT_EQ(destroyed->load(), 1);
    EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace tiergate::testing
