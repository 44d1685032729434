// Each strategy's order over the usable deployments: distributions over many
// draws with a fixed seed, and the rules that decide ties.
#include <gtest/gtest.h>

#include <map>

#include "fleet/pick_order.h"

namespace tiergate::fleet {
namespace {

candidate make(size_t index, double weight = 1.0) {
    candidate c;
    c.index = index;
    c.weight = weight;
    return c;
}

std::map<size_t, int> firsts(balance_strategy s, const std::vector<candidate> & c, int draws, double exploration = 0.0) {
    std::mt19937_64 rng(42);
    std::map<size_t, int> out;
    for (int i = 0; i < draws; ++i) {
        auto order = order_candidates(s, c, exploration, rng);
        EXPECT_EQ(order.size(), c.size());
        ++out[order.front()];
    }
    return out;
}

TEST(pick_order, weighted_first_picks_follow_the_weights) {
    const int draws = 20000;
    auto f = firsts(balance_strategy::weighted, {make(0, 1), make(1, 2), make(2, 5)}, draws);
    EXPECT_NEAR(f[0] / double(draws), 1.0 / 8, 0.015);
    EXPECT_NEAR(f[1] / double(draws), 2.0 / 8, 0.015);
    EXPECT_NEAR(f[2] / double(draws), 5.0 / 8, 0.015);
}

TEST(pick_order, weight_zero_only_after_every_other_one) {
    std::mt19937_64 rng(1);
    for (int i = 0; i < 500; ++i) {
        auto order = order_candidates(balance_strategy::weighted, {make(7, 0), make(3, 1), make(4, 1)}, 0, rng);
        ASSERT_EQ(order.size(), 3u);
        EXPECT_EQ(order.back(), 7u);
    }
}

TEST(pick_order, every_candidate_appears_once) {
    std::mt19937_64 rng(3);
    for (auto s : {balance_strategy::weighted, balance_strategy::least_busy, balance_strategy::latency,
                   balance_strategy::usage}) {
        auto order = order_candidates(s, {make(5), make(9), make(2), make(11)}, 0.5, rng);
        std::sort(order.begin(), order.end());
        EXPECT_EQ(order, (std::vector<size_t>{2, 5, 9, 11})) << to_string(s);
    }
}

TEST(pick_order, least_busy_takes_fewest_in_flight_then_fewest_queued_tokens) {
    auto a = make(0), b = make(1), c = make(2);
    a.in_flight = 3;
    b.in_flight = 1;
    b.queued_tokens = 900;
    c.in_flight = 1;
    c.queued_tokens = 100;
    std::mt19937_64 rng(5);
    EXPECT_EQ(order_candidates(balance_strategy::least_busy, {a, b, c}, 0, rng), (std::vector<size_t>{2, 1, 0}));
    // ties are broken at random: both idle ones come first about equally often
    auto f = firsts(balance_strategy::least_busy, {make(0), make(1)}, 2000);
    EXPECT_GT(f[0], 800);
    EXPECT_GT(f[1], 800);
}

TEST(pick_order, latency_measures_the_unmeasured_first_then_takes_the_fastest) {
    auto slow = make(0), fast = make(1), fresh = make(2);
    slow.latency_ms = 300;
    fast.latency_ms = 20;
    std::mt19937_64 rng(9);
    EXPECT_EQ(order_candidates(balance_strategy::latency, {slow, fast, fresh}, 0, rng),
              (std::vector<size_t>{2, 1, 0}));
    EXPECT_EQ(order_candidates(balance_strategy::latency, {slow, fast}, 0, rng), (std::vector<size_t>{1, 0}));
    // with exploration 0.2, about 10% of first picks (half of the random orders) go to the slow one
    auto f = firsts(balance_strategy::latency, {slow, fast}, 10000, 0.2);
    EXPECT_NEAR(f[0] / 10000.0, 0.1, 0.02);
}

TEST(pick_order, usage_takes_the_most_headroom) {
    auto a = make(0), b = make(1), c = make(2);
    a.headroom = 0.2;
    b.headroom = 0.9;
    c.headroom = 0.5;
    std::mt19937_64 rng(11);
    EXPECT_EQ(order_candidates(balance_strategy::usage, {a, b, c}, 0, rng), (std::vector<size_t>{1, 2, 0}));
}

}  // namespace
}  // namespace tiergate::fleet
