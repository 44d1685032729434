#include "ledger/budget_enforcer.h"
#include "ledger/budget_memory_counter.h"
#include "test_records.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

using namespace tiergate::ledger;

namespace {

// 2026-11-25T12:00:30Z
constexpr int64_t noon = 1'795'608'030'000;

struct load_result {
    double settled_usd = 0;
    int64_t settled_tokens = 0;
    int granted = 0;
    int refused = 0;
};

// `threads` workers each make `per_thread` reserve/settle rounds; each request
// may cost up to max_cost and settles a random share of it.
load_result hammer(budget_enforcer & enforcer, int threads, int per_thread, double max_cost, int64_t max_tokens,
                   int64_t now_ms, const std::string & key = "k1", const std::string & team = "t1") {
    load_result total;
    std::mutex m;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            std::mt19937 rng(static_cast<uint32_t>(t));
            std::uniform_real_distribution<double> share(0.0, 1.0);
            load_result mine;
            for (int i = 0; i < per_thread; ++i) {
                auto d = enforcer.reserve({key, team, max_cost, max_tokens, now_ms});
                ASSERT_TRUE(d) << d.err().message;
                if (d->verdict != budget_verdict::allowed) {
                    ++mine.refused;
                    continue;
                }
                ++mine.granted;
                const double s = share(rng);
                const double cost = max_cost * s;
                const auto tokens = static_cast<int64_t>(static_cast<double>(max_tokens) * s);
                ASSERT_TRUE(enforcer.settle(d->held, cost, tokens, now_ms));
                mine.settled_usd += std::ceil(cost * 1e6) / 1e6;
                mine.settled_tokens += tokens;
            }
            std::lock_guard lock(m);
            total.settled_usd += mine.settled_usd;
            total.settled_tokens += mine.settled_tokens;
            total.granted += mine.granted;
            total.refused += mine.refused;
        });
    }
    for (auto & th : pool) {
        th.join();
    }
    return total;
}

}  // namespace

TEST(budget_enforcer, concurrent_spend_never_exceeds_the_budget) {
    memory_counter_backend counters;
    budget_config config;
    limit_set team;
    team.usd_per_day = 1.00;
    config.teams["t1"] = team;
    budget_enforcer enforcer(config, counters);
    const double max_cost = 0.02;
    auto r = hammer(enforcer, 200, 20, max_cost, 0, noon);
    EXPECT_LE(r.settled_usd, 1.00 + max_cost + 1e-9);
    EXPECT_GT(r.refused, 0) << "4000 requests of up to $0.02 must exhaust $1";
    EXPECT_GT(r.granted, 50);
    // The counter holds exactly what was settled.
    const auto counter = *counters.value("tg:budget:team:t1:usd_per_day:" + std::to_string(window_for(limit_kind::usd_per_day, noon).start_ms), noon);
    EXPECT_NEAR(static_cast<double>(counter) / 1e6, r.settled_usd, 1e-6);
}

TEST(budget_enforcer, concurrent_rate_limits_hold) {
    memory_counter_backend counters;
    budget_config config;
    limit_set key;
    key.requests_per_minute = 150;
    config.keys["k1"] = key;
    limit_set team;
    team.tokens_per_minute = 50'000;
    config.teams["t1"] = team;
    budget_enforcer enforcer(config, counters);
    auto r = hammer(enforcer, 200, 5, 0.0, 400, noon);
    EXPECT_LE(r.granted, 150);
    EXPECT_LE(r.settled_tokens, 50'000 + 400);
    EXPECT_EQ(r.granted + r.refused, 1000);
    // The next minute starts afresh.
    auto next = enforcer.reserve({"k1", "t1", 0.0, 400, noon + 60'000});
    ASSERT_TRUE(next);
    EXPECT_EQ(next->verdict, budget_verdict::allowed);
}

TEST(budget_enforcer, exhaustion_names_the_limit_and_its_reset) {
    memory_counter_backend counters;
    budget_config config;
    limit_set key;
    key.usd_per_day = 0.05;
    config.keys["k1"] = key;
    budget_enforcer enforcer(config, counters);
    auto first = enforcer.reserve({"k1", "", 0.04, 10, noon});
    ASSERT_TRUE(first);
    ASSERT_EQ(first->verdict, budget_verdict::allowed);
    auto second = enforcer.reserve({"k1", "", 0.04, 10, noon});
    ASSERT_TRUE(second);
    ASSERT_EQ(second->verdict, budget_verdict::rejected);
    ASSERT_TRUE(second->limit);
    EXPECT_EQ(second->limit->scope, limit_scope::key);
    EXPECT_EQ(second->limit->id, "k1");
    EXPECT_EQ(second->limit->kind, limit_kind::usd_per_day);
    EXPECT_DOUBLE_EQ(second->limit->limit, 0.05);
    EXPECT_EQ(format_utc(second->limit->reset_at_ms), "2026-11-26T00:00:00Z");
    const auto e = budget_error(*second);
    EXPECT_EQ(e.kind, tiergate::error_kind::rate_limited);
    EXPECT_EQ(e.code, "budget_exhausted");
    EXPECT_NE(e.message.find("key 'k1' budget of 0.05 USD per day"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("2026-11-26T00:00:00Z"), std::string::npos);
    ASSERT_TRUE(e.retry_after_s.has_value());
    EXPECT_GE(*e.retry_after_s, 1);
    // Settling the first for less frees room for the second.
    ASSERT_TRUE(enforcer.settle(first->held, 0.01, 10, noon));
    auto third = enforcer.reserve({"k1", "", 0.04, 10, noon});
    ASSERT_TRUE(third);
    EXPECT_EQ(third->verdict, budget_verdict::allowed);
}

TEST(budget_enforcer, reservation_is_all_or_nothing) {
    memory_counter_backend counters;
    budget_config config;
    limit_set key;
    key.requests_per_minute = 100;
    config.keys["k1"] = key;
    limit_set team;
    team.usd_per_month = 0.01;
    config.teams["t1"] = team;
    budget_enforcer enforcer(config, counters);
    auto d = enforcer.reserve({"k1", "t1", 0.02, 10, noon});
    ASSERT_TRUE(d);
    EXPECT_EQ(d->verdict, budget_verdict::rejected);
    EXPECT_EQ(d->limit->kind, limit_kind::usd_per_month);
    EXPECT_EQ(format_utc(d->limit->reset_at_ms), "2026-12-01T00:00:00Z");
    const auto rpm = window_for(limit_kind::requests_per_minute, noon);
    EXPECT_EQ(*counters.value("tg:budget:key:k1:requests_per_minute:" + std::to_string(rpm.start_ms), noon), 0);
}

TEST(budget_enforcer, degrades_to_slm_when_configured) {
    memory_counter_backend counters;
    budget_config config;
    limit_set team;
    team.usd_per_day = 0.01;
    team.requests_per_minute = 10;
    team.on_usd_exhausted = exhaust_action::degrade_to_slm;
    config.default_team = team;
    budget_enforcer enforcer(config, counters);
    auto d = enforcer.reserve({"any-key", "growth", 0.05, 100, noon});
    ASSERT_TRUE(d);
    EXPECT_EQ(d->verdict, budget_verdict::degrade_to_slm);
    auto slm = enforcer.reserve({"any-key", "growth", 0.0, 100, noon});
    ASSERT_TRUE(slm);
    EXPECT_EQ(slm->verdict, budget_verdict::allowed);
    // Request rate limits still reject.
    for (int i = 0; i < 9; ++i) {
        ASSERT_EQ(enforcer.reserve({"any-key", "growth", 0.0, 1, noon})->verdict, budget_verdict::allowed);
    }
    auto over = enforcer.reserve({"any-key", "growth", 0.0, 1, noon});
    EXPECT_EQ(over->verdict, budget_verdict::rejected);
    EXPECT_EQ(budget_error(*over).code, "rate_limit_exceeded");
}

TEST(budget_enforcer, release_returns_the_reservation_but_counts_the_request) {
    memory_counter_backend counters;
    budget_config config;
    limit_set key;
    key.usd_per_day = 1.0;
    key.requests_per_minute = 5;
    config.keys["k1"] = key;
    budget_enforcer enforcer(config, counters);
    auto d = enforcer.reserve({"k1", "", 0.5, 10, noon});
    ASSERT_TRUE(d);
    ASSERT_TRUE(enforcer.release(d->held, noon));
    EXPECT_FALSE(*enforcer.release(d->held, noon)) << "a reservation settles once";
    const auto day = window_for(limit_kind::usd_per_day, noon);
    const auto minute = window_for(limit_kind::requests_per_minute, noon);
    EXPECT_EQ(*counters.value("tg:budget:key:k1:usd_per_day:" + std::to_string(day.start_ms), noon), 0);
    EXPECT_EQ(*counters.value("tg:budget:key:k1:requests_per_minute:" + std::to_string(minute.start_ms), noon), 1);
}

TEST(budget_enforcer, unknown_keys_without_defaults_are_unlimited) {
    memory_counter_backend counters;
    budget_enforcer enforcer({}, counters);
    auto d = enforcer.reserve({"k", "t", 1e6, 1'000'000, noon});
    ASSERT_TRUE(d);
    EXPECT_EQ(d->verdict, budget_verdict::allowed);
    EXPECT_TRUE(d->held.charges.empty());
    EXPECT_EQ(counters.size(), 0u);
}

TEST(time_window, fixed_utc_windows) {
    const auto m = window_for(limit_kind::requests_per_minute, noon);
    EXPECT_EQ(format_utc(m.start_ms), "2026-11-25T12:00:00Z");
    EXPECT_EQ(format_utc(m.end_ms), "2026-11-25T12:01:00Z");
    const auto d = window_for(limit_kind::usd_per_day, noon);
    EXPECT_EQ(format_utc(d.start_ms), "2026-11-25T00:00:00Z");
    // December rolls over into the next year.
    const int64_t dec = 1'797'811'200'000;  // 2026-12-21T00:00:00Z
    const auto mo = window_for(limit_kind::usd_per_month, dec);
    EXPECT_EQ(format_utc(mo.start_ms), "2026-12-01T00:00:00Z");
    EXPECT_EQ(format_utc(mo.end_ms), "2027-01-01T00:00:00Z");
}

TEST(budget_enforcer, limits_replaced_while_serving_apply_to_the_next_reservation) {
    memory_counter_backend counters;
    budget_config config;
    budget_enforcer enforcer(config, counters);
    EXPECT_FALSE(enforcer.applies("k1", "t1"));
    auto free = enforcer.reserve({"k1", "t1", 1.0, 10, noon});
    ASSERT_TRUE(free);
    EXPECT_EQ(free->verdict, budget_verdict::allowed);
    EXPECT_TRUE(free->held.charges.empty());

    config.teams["t1"].requests_per_minute = 1;
    enforcer.set_config(config);
    EXPECT_TRUE(enforcer.applies("k1", "t1"));
    EXPECT_FALSE(enforcer.applies("k1", "t2"));
    EXPECT_EQ(enforcer.config()->teams.at("t1").requests_per_minute, 1);
    auto first = enforcer.reserve({"k1", "t1", 0.0, 10, noon});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->verdict, budget_verdict::allowed);
    auto second = enforcer.reserve({"k2", "t1", 0.0, 10, noon});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->verdict, budget_verdict::rejected);

    auto status = enforcer.status(limit_scope::team, "t1", noon);
    ASSERT_TRUE(status);
    ASSERT_EQ(status->size(), 1u);
    EXPECT_EQ(status->front().kind, limit_kind::requests_per_minute);
    EXPECT_DOUBLE_EQ(status->front().limit, 1);
    EXPECT_DOUBLE_EQ(status->front().used, 1);
    EXPECT_EQ(status->front().reset_at_ms, noon - 30'000 + 60'000);
    EXPECT_TRUE(enforcer.status(limit_scope::key, "k1", noon)->empty());

    enforcer.set_config({});
    auto lifted = enforcer.reserve({"k2", "t1", 0.0, 10, noon});
    ASSERT_TRUE(lifted);
    EXPECT_EQ(lifted->verdict, budget_verdict::allowed);
}
