#include "engine/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace tiergate::engine;

TEST(worker_pool, runs_jobs_on_its_own_threads) {
    worker_pool pool(2);
    std::promise<std::thread::id> ran_on;
    auto fut = ran_on.get_future();
    ASSERT_TRUE(pool.post([&] { ran_on.set_value(std::this_thread::get_id()); }));
    ASSERT_EQ(fut.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_NE(fut.get(), std::this_thread::get_id());
}

TEST(worker_pool, one_thread_runs_jobs_in_order_of_arrival) {
    std::vector<int> order;
    std::mutex m;
    {
        worker_pool pool(1);
        for (int i = 0; i < 100; ++i) {
            pool.post([&, i] {
                std::lock_guard lock(m);
                order.push_back(i);
            });
        }
    }  // the destructor runs what is queued
    ASSERT_EQ(order.size(), 100u);
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(order[i], i);
    }
}

TEST(worker_pool, a_slow_job_does_not_hold_back_the_other_thread) {
    worker_pool pool(2);
    std::promise<void> release;
    auto released = release.get_future().share();
    pool.post([released] { released.wait_for(std::chrono::seconds(30)); });
    std::promise<void> quick;
    auto done = quick.get_future();
    pool.post([&] { quick.set_value(); });
    EXPECT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    release.set_value();
}

TEST(worker_pool, after_shutdown_nothing_is_taken) {
    std::atomic<int> ran{0};
    worker_pool pool(2);
    pool.post([&] { ++ran; });
    pool.shutdown();
    EXPECT_EQ(ran.load(), 1);
    EXPECT_FALSE(pool.post([&] { ++ran; }));
    pool.shutdown();  // idempotent
    EXPECT_EQ(ran.load(), 1);
}

TEST(worker_pool, a_throwing_job_does_not_stop_the_pool) {
    worker_pool pool(1);
    pool.post([] { throw std::runtime_error("boom"); });
    std::promise<void> after;
    auto fut = after.get_future();
    pool.post([&] { after.set_value(); });
    EXPECT_EQ(fut.wait_for(std::chrono::seconds(10)), std::future_status::ready);
}
