#include "plan/cost_plan.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace tiergate::plan;

TEST(cost_plan, monthly_costs_follow_the_prices) {
    cost_price_table p;
    p.frontier = {2.0, 10.0};
    p.mid = {0.2, 0.8};
    p.gpu_usd_per_hour = 1.0;
    p.hours_per_month = 730;
    p.days_per_month = 30;
    auto c = plan_cost({10'000, 1000, 200, 0.7, 0.2}, p);
    ASSERT_TRUE(c) << c.err().message;
    const double frontier_req = (1000 * 2.0 + 200 * 10.0) / 1e6;  // 0.004
    const double mid_req = (1000 * 0.2 + 200 * 0.8) / 1e6;
    EXPECT_DOUBLE_EQ(c->frontier_usd_per_request, frontier_req);
    EXPECT_NEAR(c->all_frontier_monthly_usd, 10'000 * 30 * frontier_req, 1e-6);
    EXPECT_NEAR(c->hybrid_api_monthly_usd, 10'000 * 30 * (0.1 * frontier_req + 0.2 * mid_req), 1e-6);
    EXPECT_EQ(c->hybrid_gpus, 1u);
    EXPECT_NEAR(c->hybrid_gpu_monthly_usd, 730.0, 1e-9);
    EXPECT_NEAR(c->hybrid_savings_usd, c->all_frontier_monthly_usd - c->hybrid_monthly_usd, 1e-9);
    ASSERT_TRUE(c->hybrid_break_even_requests_per_day);
    // At the break-even volume the hybrid costs what all-frontier costs.
    auto at = plan_cost({*c->hybrid_break_even_requests_per_day, 1000, 200, 0.7, 0.2}, p);
    ASSERT_TRUE(at);
    EXPECT_NEAR(at->hybrid_monthly_usd, at->all_frontier_monthly_usd, 1e-6);
    auto below = plan_cost({*c->hybrid_break_even_requests_per_day * 0.5, 1000, 200, 0.7, 0.2}, p);
    EXPECT_GT(below->hybrid_monthly_usd, below->all_frontier_monthly_usd);
}

TEST(cost_plan, gpus_scale_with_volume_and_break_even_can_be_never) {
    cost_price_table p;
    auto big = plan_cost({5'000'000, 1000, 500, 1.0, 0.0}, p);
    ASSERT_TRUE(big);
    EXPECT_GT(big->hybrid_gpus, 1u);
    EXPECT_EQ(big->hybrid_gpus, big->self_hosted_gpus);
    // Tokens that cost almost nothing on the API never pay for a GPU.
    p.frontier = {0.0001, 0.0001};
    auto cheap = plan_cost({1000, 100, 100, 0.5, 0.0}, p);
    ASSERT_TRUE(cheap);
    EXPECT_FALSE(cheap->hybrid_break_even_requests_per_day.has_value());
    EXPECT_FALSE(cheap->self_hosted_break_even_requests_per_day.has_value());
    EXPECT_NE(render_cost_plan_text(*cheap).find("never"), std::string::npos);
}

TEST(cost_plan, rejects_bad_input) {
    EXPECT_FALSE(plan_cost({-1, 10, 10, 0.5, 0}));
    EXPECT_FALSE(plan_cost({10, -10, 10, 0.5, 0}));
    EXPECT_FALSE(plan_cost({10, 10, 10, 1.5, 0}));
    EXPECT_FALSE(plan_cost({10, 10, 10, 0.8, 0.3}));
    cost_price_table p;
    p.gpu_usd_per_hour = -1;
    auto e = plan_cost({10, 10, 10, 0.5, 0}, p);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.err().param, "gpu-usd-per-hour");
}

TEST(cost_plan, json_lists_prices_used) {
    auto c = plan_cost({1000, 500, 100, 0.7, 0.0});
    ASSERT_TRUE(c);
    const auto j = nlohmann::json::parse(render_cost_plan_json(*c));
    EXPECT_DOUBLE_EQ(j["prices"]["frontier"]["input_usd_per_mtok"].get<double>(), 2.50);
    EXPECT_DOUBLE_EQ(j["monthly_usd"]["all_frontier"].get<double>(), c->all_frontier_monthly_usd);
}
