#include "ledger/price_table.h"
#include "ledger/record_metrics.h"
#include "ledger/usage_record.h"
#include "test_records.h"

#include <gtest/gtest.h>

using namespace tiergate::ledger;

TEST(usage_record, totals_come_from_attempts) {
    auto r = fixtures::make_record("r1", 1000, true);
    EXPECT_EQ(r.input_tokens, 200);
    EXPECT_EQ(r.output_tokens, 70);
    EXPECT_TRUE(r.escalated);
    EXPECT_EQ(r.final_tier, tier::frontier);
    EXPECT_EQ(r.model, "frontier-x");
    EXPECT_DOUBLE_EQ(r.cost_usd, 0.00075);
    EXPECT_EQ(parse_tier("mid"), tier::mid);
    EXPECT_FALSE(parse_tier("huge").has_value());
    EXPECT_EQ(parse_attempt_kind("fallback"), attempt_kind::fallback);
}

TEST(usage_record, latency_defaults_to_the_attempts_added_up) {
    usage_record r;
    attempt_record a;
    a.latency_ms = 100;
    a.ttft_ms = 30;
    attempt_record b = a;
    b.attempt = 2;
    b.kind = attempt_kind::fallback;
    b.latency_ms = 500;
    b.ttft_ms = 200;
    r.attempts = {a, b};
    r.total_from_attempts();
    EXPECT_DOUBLE_EQ(r.latency_ms, 600);
    EXPECT_DOUBLE_EQ(r.ttft_ms, 300);
    EXPECT_FALSE(r.escalated);
    r.latency_ms = 42;
    r.total_from_attempts();
    EXPECT_DOUBLE_EQ(r.latency_ms, 42) << "a latency measured by the request path is kept";
}

TEST(price_table, prices_attempts_and_counterfactual) {
    price_table prices;
    prices.models["frontier-x"] = {2.50, 10.00};
    prices.models["mid-y"] = {0.15, 0.60};
    prices.frontier_baseline = "frontier-x";
    EXPECT_DOUBLE_EQ(prices.cost_usd("frontier-x", 1'000'000, 0), 2.50);
    EXPECT_DOUBLE_EQ(prices.cost_usd("local-3b", 1'000'000, 1'000'000), 0.0);
    auto r = fixtures::make_record("r1", 1000, true);
    r.attempts[1].model = "mid-y";
    prices.price(r);
    EXPECT_DOUBLE_EQ(r.attempts[0].cost_usd, 0.0);
    EXPECT_DOUBLE_EQ(r.attempts[1].cost_usd, (100 * 0.15 + 50 * 0.60) / 1e6);
    EXPECT_DOUBLE_EQ(r.cost_usd, (100 * 0.15 + 50 * 0.60) / 1e6);
    EXPECT_DOUBLE_EQ(r.counterfactual_cost_usd, (100 * 2.50 + 50 * 10.00) / 1e6);
    EXPECT_GT(r.savings_usd(), 0.0);
}

TEST(record_metrics, counts_escalations_fallbacks_and_pii) {
    tiergate::obs::metrics_registry registry;
    tiergate::obs::gateway_metrics metrics(registry);
    auto r = fixtures::make_record("r1", 1000, true);
    attempt_record fb = r.attempts[1];
    fb.attempt = 3;
    fb.kind = attempt_kind::fallback;
    fb.provider = "anthropic";
    r.attempts[1].status = {503, "upstream_unavailable"};
    r.attempts.push_back(fb);
    r.total_from_attempts();
    record_metrics(metrics, r);
    const std::string text = registry.expose();
    EXPECT_NE(text.find("tiergate_escalations_total{from_tier=\"slm\",to_tier=\"frontier\"} 1"), std::string::npos) << text;
    EXPECT_NE(text.find("tiergate_fallbacks_total{from_provider=\"openai\",to_provider=\"anthropic\",reason=\"upstream_unavailable\"} 1"),
              std::string::npos);
    EXPECT_NE(text.find("tiergate_pii_detections_total{entity_type=\"email\"} 2"), std::string::npos);
    EXPECT_NE(text.find("tiergate_tokens_total{tier=\"frontier\",model=\"frontier-x\",direction=\"input\"} 300"),
              std::string::npos);
    EXPECT_NE(text.find("tiergate_request_duration_seconds_count{tier=\"frontier\",model=\"frontier-x\",route=\"default\",status=\"200\"} 1"),
              std::string::npos);
}
