#include "ledger/ledger_writer.h"
#include "ledger/store.h"
#include "obs/gateway_metrics.h"
#include "test_records.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <set>
#include <thread>

using namespace tiergate::ledger;
using namespace std::chrono_literals;

TEST(ledger_writer, sqlite_loses_nothing_on_graceful_shutdown) {
    const std::string path = ::testing::TempDir() + "tiergate_writer_" + fixtures::unique_suffix() + ".db";
    constexpr int threads = 4;
    constexpr int per_thread = 5000;
    {
        auto s = open_store(path);
        ASSERT_TRUE(s) << s.err().message;
        ledger_writer_options o;
        o.max_batch_age = 10s;  // nothing is written by age: shutdown must drain
        o.max_batch_size = 1000;
        o.queue_capacity = 100000;
        ledger_writer w(std::move(*s), o);
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&w, t] {
                for (int i = 0; i < per_thread; ++i) {
                    EXPECT_EQ(w.submit(fixtures::make_record(std::to_string(t) + "-" + std::to_string(i), 1000 + i, i % 7 == 0)),
                              submit_status::accepted);
                }
            });
        }
        for (auto & th : pool) {
            th.join();
        }
        w.shutdown();
        const auto st = w.stats();
        EXPECT_EQ(st.submitted, static_cast<uint64_t>(threads * per_thread));
        EXPECT_EQ(st.written, st.submitted);
        EXPECT_EQ(st.abandoned, 0u);
        EXPECT_EQ(st.queue_depth, 0u);
        EXPECT_EQ(w.submit(fixtures::make_record("late", 1)), submit_status::stopped);
    }
    auto s = open_store(path);
    ASSERT_TRUE(s);
    EXPECT_EQ(*(*s)->count(), threads * per_thread);
    auto rows = (*s)->read(0, 1'000'000, true);
    ASSERT_TRUE(rows);
    std::set<std::string> ids;
    size_t attempts = 0;
    for (const auto & r : *rows) {
        ids.insert(r.request_id);
        attempts += r.attempts.size();
    }
    EXPECT_EQ(ids.size(), static_cast<size_t>(threads * per_thread));
    size_t expected_attempts = 0;
    for (int i = 0; i < per_thread; ++i) {
        expected_attempts += i % 7 == 0 ? 2 : 1;
    }
    EXPECT_EQ(attempts, expected_attempts * threads);
    std::filesystem::remove(path);
}

TEST(ledger_writer, writes_by_batch_age_without_flush) {
    auto fake = std::make_unique<fixtures::fake_store>();
    auto * raw = fake.get();
    ledger_writer_options o;
    o.max_batch_age = 20ms;
    o.max_batch_size = 1000;
    ledger_writer w(std::move(fake), o);
    ASSERT_EQ(w.submit(fixtures::make_record("one", 1)), submit_status::accepted);
    for (int i = 0; i < 200 && *raw->count() == 0; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    EXPECT_EQ(*raw->count(), 1);
}

TEST(ledger_writer, writes_a_full_batch_at_once) {
    auto fake = std::make_unique<fixtures::fake_store>();
    auto * raw = fake.get();
    ledger_writer_options o;
    o.max_batch_age = 60s;
    o.max_batch_size = 10;
    ledger_writer w(std::move(fake), o);
    for (int i = 0; i < 10; ++i) {
        w.submit(fixtures::make_record("r" + std::to_string(i), i));
    }
    for (int i = 0; i < 400 && *raw->count() < 10; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    EXPECT_EQ(*raw->count(), 10);
    EXPECT_EQ(raw->writes.load(), 1);
}

TEST(ledger_writer, backpressure_blocks_instead_of_dropping) {
    auto fake = std::make_unique<fixtures::fake_store>();
    auto * raw = fake.get();
    raw->hold(true);
    ledger_writer_options o;
    o.queue_capacity = 8;
    o.max_batch_size = 4;
    o.max_batch_age = 1ms;
    ledger_writer w(std::move(fake), o);
    // The writer takes one batch (up to 4) and waits in the store; then the
    // queue fills to its capacity and stays full.
    int accepted = 0;
    int refused_in_a_row = 0;
    for (int i = 0; i < 400 && refused_in_a_row < 10; ++i) {
        if (w.try_submit(fixtures::make_record("r" + std::to_string(accepted), accepted)) == submit_status::accepted) {
            ++accepted;
            refused_in_a_row = 0;
        } else {
            ++refused_in_a_row;
            std::this_thread::sleep_for(5ms);
        }
    }
    ASSERT_EQ(refused_in_a_row, 10);
    EXPECT_EQ(w.stats().queue_depth, 8u);
    EXPECT_GE(accepted, 9);
    EXPECT_LE(accepted, 12);
    EXPECT_EQ(w.try_submit(fixtures::make_record("full", 99)), submit_status::queue_full);
    EXPECT_EQ(w.submit_for(fixtures::make_record("full2", 99), 20ms), submit_status::queue_full);
    auto blocked = std::async(std::launch::async, [&] { return w.submit(fixtures::make_record("blocked", 100)); });
    EXPECT_EQ(blocked.wait_for(200ms), std::future_status::timeout) << "submit() must wait while the queue is full";
    raw->hold(false);
    ASSERT_EQ(blocked.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(blocked.get(), submit_status::accepted);
    ASSERT_TRUE(w.flush(5s));
    EXPECT_EQ(*raw->count(), accepted + 1);
    EXPECT_GE(w.stats().blocked_submits, 2u);
}

TEST(ledger_writer, retries_a_failing_store_until_it_accepts) {
    auto fake = std::make_unique<fixtures::fake_store>();
    auto * raw = fake.get();
    raw->fail_next = 3;
    tiergate::obs::metrics_registry registry;
    tiergate::obs::gateway_metrics metrics(registry);
    ledger_writer_options o;
    o.retry_backoff = 1ms;
    o.max_batch_age = 1ms;
    o.metrics = &metrics;
    ledger_writer w(std::move(fake), o);
    for (int i = 0; i < 5; ++i) {
        w.submit(fixtures::make_record("r" + std::to_string(i), i));
    }
    ASSERT_TRUE(w.flush(5s));
    EXPECT_EQ(*raw->count(), 5);
    EXPECT_EQ(w.stats().write_errors, 3u);
    EXPECT_DOUBLE_EQ(metrics.ledger_write_errors.with({}).value(), 3);
    EXPECT_DOUBLE_EQ(metrics.ledger_records_written.with({}).value(), 5);
}

TEST(ledger_writer, shutdown_gives_up_on_a_dead_store_and_says_so) {
    auto fake = std::make_unique<fixtures::fake_store>();
    fake->fail_next = 1'000'000;
    ledger_writer_options o;
    o.retry_backoff = 1ms;
    o.shutdown_write_attempts = 3;
    o.max_batch_age = 60s;
    ledger_writer w(std::move(fake), o);
    w.submit(fixtures::make_record("lost", 1));
    w.shutdown();
    EXPECT_EQ(w.stats().abandoned, 1u);
    EXPECT_EQ(w.stats().written, 0u);
}
