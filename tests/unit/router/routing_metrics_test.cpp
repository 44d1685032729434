#include "eval/routing_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace tiergate::eval;

TEST(routing_metrics, pgr_is_the_share_of_the_gap_recovered) {
    EXPECT_NEAR(pgr(0.7, 0.6, 0.8), 0.5, 1e-12);
    EXPECT_DOUBLE_EQ(pgr(0.6, 0.6, 0.8), 0.0);
    EXPECT_DOUBLE_EQ(pgr(0.8, 0.6, 0.8), 1.0);
    EXPECT_TRUE(std::isnan(pgr(0.5, 0.6, 0.6)));
}

TEST(routing_metrics, random_router_has_apgr_one_half) {
    const double weak = 0.6;
    const double strong = 0.8;
    std::vector<curve_point> points;
    for (int i = 0; i <= 10; ++i) {
        const double s = i / 10.0;
        points.push_back({0, s, weak + s * (strong - weak), 0});
    }
    auto a = apgr(points, weak, strong);
    ASSERT_TRUE(a.has_value());
    EXPECT_NEAR(*a, 0.5, 1e-12);
    EXPECT_NEAR(*cpt(points, weak, strong, 0.5), 0.5, 1e-12);
    EXPECT_NEAR(*cpt(points, weak, strong, 0.8), 0.8, 1e-12);
}

TEST(routing_metrics, oracle_router_apgr_by_hand) {
    // 4 prompts: weak right on A, B; strong right on A, B, C; nobody on D.
    // weak 0.5, strong 0.75. The oracle sends only C to the strong model:
    // share 0.25 with PGR 1. Area: 0.25 * 0.5 + 0.75 * 1 = 0.875.
    std::vector<curve_point> points = {{0, 0.25, 0.75, 0}};
    EXPECT_NEAR(*apgr(points, 0.5, 0.75), 0.875, 1e-12);
    EXPECT_NEAR(*cpt(points, 0.5, 0.75, 0.5), 0.25, 1e-12);
    EXPECT_NEAR(*cpt(points, 0.5, 0.75, 0.95), 0.25, 1e-12);
    EXPECT_FALSE(apgr(points, 0.5, 0.5).has_value());
}

TEST(routing_metrics, worse_than_random_router_has_apgr_below_one_half) {
    // Sends the prompts the weak model gets right to the strong model first.
    std::vector<curve_point> points = {{0, 0.5, 0.5, 0}};
    EXPECT_NEAR(*apgr(points, 0.5, 0.75), 0.25, 1e-12);
    EXPECT_NEAR(*cpt(points, 0.5, 0.75, 0.5), 1.0, 1e-12);
}

TEST(routing_metrics, cheapest_point_reaching_a_quality) {
    std::vector<curve_point> points = {{0, 0.1, 0.70, 1.0}, {0, 0.3, 0.80, 2.0}, {0, 0.6, 0.81, 3.0}};
    EXPECT_DOUBLE_EQ(*cheapest_cost_reaching(points, 0.78), 2.0);
    EXPECT_DOUBLE_EQ(*smallest_share_reaching(points, 0.78), 0.3);
    EXPECT_FALSE(cheapest_cost_reaching(points, 0.9).has_value());
}

TEST(routing_metrics, nondecreasing_hull_drops_dominated_and_falling_points) {
    auto hull = nondecreasing_hull({{1, 0.6}, {0, 0.5}, {3, 0.8}, {2, 0.9}, {2, 0.4}});
    ASSERT_EQ(hull.size(), 2u);
    EXPECT_DOUBLE_EQ(hull[0].cost, 0);
    EXPECT_DOUBLE_EQ(hull[1].cost, 2);
    EXPECT_DOUBLE_EQ(hull[1].quality, 0.9);
}

TEST(routing_metrics, aiq_by_hand) {
    // Hull (0, .5) -> (2, .9), flat to 3: area 2 * 0.7 + 1 * 0.9 = 2.3; range 3.
    std::vector<cost_quality> points = {{0, 0.5}, {1, 0.6}, {2, 0.9}, {3, 0.8}};
    EXPECT_NEAR(*aiq(points, 0, 3), 2.3 / 3.0, 1e-12);
    // A single model at the top of the range: its quality over the part it covers.
    std::vector<cost_quality> one = {{1, 0.6}};
    EXPECT_NEAR(*aiq(one, 0, 2), 0.3, 1e-12);
    EXPECT_FALSE(aiq(points, 1, 1).has_value());
}
