#include "ledger/budget_enforcer.h"
#include "ledger/budget_redis_counter.h"
#include "test_records.h"

#include <gtest/gtest.h>

#include <cmath>
#include <mutex>
#include <random>
#include <thread>

using namespace tiergate::ledger;

namespace {

std::unique_ptr<redis_counter_backend> connect_or_skip() {
    const std::string url = fixtures::env_or_empty("TIERGATE_TEST_REDIS_URL");
    if (url.empty()) {
        return nullptr;
    }
    auto endpoint = parse_redis_url(url);
    EXPECT_TRUE(endpoint) << endpoint.err().message;
    if (!endpoint) {
        return nullptr;
    }
    auto backend = redis_counter_backend::connect(*endpoint);
    EXPECT_TRUE(backend) << backend.err().message;
    return backend ? std::move(*backend) : nullptr;
}

}  // namespace

TEST(redis_url, parses_host_port_password_and_db) {
    auto e = parse_redis_url("redis://:s3cret@10.0.0.5:6380/2");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->host, "10.0.0.5");
    EXPECT_EQ(e->port, 6380);
    EXPECT_EQ(e->password, "s3cret");
    EXPECT_EQ(e->db, 2);
    auto d = parse_redis_url("redis://127.0.0.1");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->port, 6379);
    EXPECT_FALSE(parse_redis_url("http://x"));
    EXPECT_FALSE(parse_redis_url("redis://h:99999"));
    EXPECT_FALSE(parse_redis_url("redis://h:1/x"));
}

TEST(redis_counter_backend, unreachable_server_is_an_error) {
    redis_endpoint e;
    e.port = 1;  // nothing listens there
    e.timeout_ms = 200;
    auto b = redis_counter_backend::connect(e);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.err().kind, tiergate::error_kind::unavailable);
}

TEST(redis_counter_backend, reserve_and_adjust_are_atomic_and_expire) {
    if (fixtures::env_or_empty("TIERGATE_TEST_REDIS_URL").empty()) {
        GTEST_SKIP() << "TIERGATE_TEST_REDIS_URL is not set (scripts/services.sh starts a redis-server)";
    }
    auto b = connect_or_skip();
    ASSERT_TRUE(b);
    const std::string k = "tg:test:" + fixtures::unique_suffix();
    const int64_t far = 4'102'444'800'000;  // 2100-01-01
    auto granted = b->reserve({{k + ":a", 5, 10, far}, {k + ":b", 1, -1, far}}, 0);
    ASSERT_TRUE(granted) << granted.err().message;
    EXPECT_TRUE(granted->granted);
    auto refused = b->reserve({{k + ":b", 1, -1, far}, {k + ":a", 6, 10, far}}, 0);
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->granted);
    EXPECT_EQ(refused->refused_index, 1u);
    EXPECT_EQ(refused->current, 5);
    EXPECT_EQ(*b->value(k + ":b", 0), 1) << "a refused reservation adds nothing";
    ASSERT_TRUE(b->adjust({{k + ":a", -3}, {k + ":missing", 7}}, 0));
    EXPECT_EQ(*b->value(k + ":a", 0), 2);
    EXPECT_EQ(*b->value(k + ":missing", 0), 0) << "adjust leaves expired or missing counters alone";
    // A counter whose window ended is gone.
    auto past = b->reserve({{k + ":old", 1, 10, 1000}}, 0);
    ASSERT_TRUE(past);
    EXPECT_EQ(*b->value(k + ":old", 0), 0);
}

TEST(redis_counter_backend, two_gateways_share_one_budget) {
    if (fixtures::env_or_empty("TIERGATE_TEST_REDIS_URL").empty()) {
        GTEST_SKIP() << "TIERGATE_TEST_REDIS_URL is not set (scripts/services.sh starts a redis-server)";
    }
    // Two independent clients, as two gateway processes would have.
    auto a = connect_or_skip();
    auto b = connect_or_skip();
    ASSERT_TRUE(a && b);
    budget_config config;
    config.key_prefix = "tg:test:" + fixtures::unique_suffix() + ":";
    limit_set team;
    team.usd_per_day = 0.50;
    team.requests_per_minute = 400;
    config.teams["shared"] = team;
    budget_enforcer gateway_a(config, *a);
    budget_enforcer gateway_b(config, *b);
    const double max_cost = 0.01;
    const int64_t now = system_now_ms();
    std::mutex m;
    double settled = 0;
    int granted = 0;
    int refused = 0;
    std::vector<std::thread> pool;
    for (int t = 0; t < 32; ++t) {
        pool.emplace_back([&, t] {
            budget_enforcer & gw = t % 2 == 0 ? gateway_a : gateway_b;
            std::mt19937 rng(static_cast<uint32_t>(t));
            std::uniform_real_distribution<double> share(0.0, 1.0);
            for (int i = 0; i < 30; ++i) {
                auto d = gw.reserve({"k" + std::to_string(t), "shared", max_cost, 100, now});
                ASSERT_TRUE(d) << d.err().message;
                std::lock_guard lock(m);
                if (d->verdict != budget_verdict::allowed) {
                    ++refused;
                    continue;
                }
                ++granted;
                const double cost = max_cost * share(rng);
                auto s = gw.settle(d->held, cost, 50, now);
                ASSERT_TRUE(s) << s.err().message;
                settled += std::ceil(cost * 1e6) / 1e6;
            }
        });
    }
    for (auto & th : pool) {
        th.join();
    }
    EXPECT_LE(settled, 0.50 + max_cost + 1e-9);
    EXPECT_LE(granted, 400);
    EXPECT_GT(refused, 0);
    const auto day = window_for(limit_kind::usd_per_day, now);
    auto counter = a->value(config.key_prefix + "team:shared:usd_per_day:" + std::to_string(day.start_ms), now);
    ASSERT_TRUE(counter);
    EXPECT_NEAR(static_cast<double>(*counter) / 1e6, settled, 1e-6);
}
