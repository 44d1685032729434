#include "core/percentile.h"
#include "ledger/report.h"
#include "ledger/store.h"
#include "test_records.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace tiergate::ledger;
using tiergate::percentile;

namespace {

constexpr int64_t day0 = 1'795'564'800'000;  // 2026-11-25T00:00:00Z
constexpr int64_t day_ms = 86'400'000;

std::vector<usage_record> sample() {
    std::vector<usage_record> rows;
    // Day 1: 3 SLM requests (free) and 1 escalated to the frontier.
    for (int i = 0; i < 3; ++i) {
        auto r = fixtures::make_record("d1-slm-" + std::to_string(i), day0 + 1000 + i);
        r.latency_ms = 50 + 10 * i;  // 50, 60, 70
        rows.push_back(r);
    }
    rows.push_back(fixtures::make_record("d1-esc", day0 + 5000, true));
    // Day 2: one failed frontier request costing $0.01.
    auto f = fixtures::make_record("d2-frontier", day0 + day_ms + 10);
    f.attempts.clear();
    f.final_tier = tier::frontier;
    f.model = "frontier-x";
    f.cost_usd = 0.01;
    f.counterfactual_cost_usd = 0.01;
    f.latency_ms = 2000;
    f.ttft_ms = 0;
    f.status = {502, "upstream_failed"};
    rows.push_back(f);
    // Outside the period.
    rows.push_back(fixtures::make_record("old", day0 - 1));
    return rows;
}

}  // namespace

TEST(report, aggregates_cost_share_savings_and_percentiles) {
    const auto rep = build_report(sample(), day0, day0 + 2 * day_ms);
    EXPECT_EQ(rep.requests, 5);
    EXPECT_EQ(rep.escalated, 1);
    EXPECT_EQ(rep.errors, 1);
    EXPECT_NEAR(rep.cost_usd, 0.00075 + 0.01, 1e-12);
    EXPECT_NEAR(rep.counterfactual_cost_usd, 4 * 0.00075 + 0.01, 1e-12);
    EXPECT_NEAR(rep.savings_usd, 3 * 0.00075, 1e-12);
    EXPECT_NEAR(rep.savings_pct, 100.0 * 0.00225 / 0.013, 1e-9);
    ASSERT_EQ(rep.tiers.size(), 3u);
    const auto & slm = rep.tiers[0];
    EXPECT_EQ(slm.tier_id, tier::slm);
    EXPECT_EQ(slm.requests, 3);
    EXPECT_DOUBLE_EQ(slm.share, 0.6);
    EXPECT_DOUBLE_EQ(slm.latency_p50_ms, 60);
    EXPECT_DOUBLE_EQ(slm.latency_p95_ms, 70);
    EXPECT_DOUBLE_EQ(slm.ttft_p50_ms, 40);
    const auto & mid = rep.tiers[1];
    EXPECT_EQ(mid.requests, 0);
    const auto & frontier = rep.tiers[2];
    EXPECT_EQ(frontier.requests, 2);
    EXPECT_DOUBLE_EQ(frontier.latency_p95_ms, 2000);
    EXPECT_DOUBLE_EQ(frontier.ttft_p50_ms, 440) << "requests without a first token are not in TTFT";
    ASSERT_EQ(rep.models.size(), 2u);
    EXPECT_EQ(rep.models[0].model, "frontier-x");
    ASSERT_EQ(rep.days.size(), 3u);
    EXPECT_EQ(rep.days[0].day, "2026-11-25");
    EXPECT_EQ(rep.days[2].day, "2026-11-26");
    EXPECT_NEAR(rep.days[2].cost_usd, 0.01, 1e-12);
}

TEST(report, renders_text_json_and_html) {
    auto rows = sample();
    rows[0].model = "<script>alert(1)</script>";
    const auto rep = build_report(rows, day0, day0 + 2 * day_ms);
    const auto text = render_report_text(rep);
    EXPECT_NE(text.find("savings"), std::string::npos);
    EXPECT_NE(text.find("frontier-x"), std::string::npos);
    const auto j = nlohmann::json::parse(render_report_json(rep));
    EXPECT_EQ(j["requests"], 5);
    EXPECT_EQ(j["tiers"].size(), 3u);
    EXPECT_EQ(j["days"][0]["day"], "2026-11-25");
    const auto html = render_report_html(rep);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_NE(html.find("<rect"), std::string::npos);
    EXPECT_NE(html.find("stroke-dasharray"), std::string::npos) << "the baseline is drawn";
    EXPECT_NE(html.find(">11-26</text>"), std::string::npos) << "every day of the period has a slot";
    EXPECT_EQ(html.find("<script>"), std::string::npos) << "model names are escaped";
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(report, reads_from_a_store) {
    auto s = open_store(":memory:");
    ASSERT_TRUE(s);
    ASSERT_TRUE((*s)->write(sample()));
    auto rep = build_report(**s, day0, day0 + day_ms);
    ASSERT_TRUE(rep) << rep.err().message;
    EXPECT_EQ(rep->requests, 4);
    EXPECT_FALSE(build_report(**s, day0, day0));
}

TEST(report, parses_periods) {
    EXPECT_EQ(*parse_period("7d"), 7 * day_ms);
    EXPECT_EQ(*parse_period("24h"), day_ms);
    EXPECT_EQ(*parse_period("90m"), 90 * 60'000);
    EXPECT_EQ(*parse_period("2w"), 14 * day_ms);
    EXPECT_EQ(*parse_period("30s"), 30'000);
    for (const char * bad : {"", "d", "7", "-7d", "0d", "7y", "1.5d", "99999999999d"}) {
        auto p = parse_period(bad);
        EXPECT_FALSE(p) << bad;
        if (!p) {
            EXPECT_EQ(p.err().param, "since");
        }
    }
}

TEST(report, percentile_is_nearest_rank) {
    EXPECT_DOUBLE_EQ(percentile({}, 50), 0);
    EXPECT_DOUBLE_EQ(percentile({5}, 95), 5);
    EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 50), 2);
    EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 100), 4);
}

TEST(report, the_slm_share_and_savings_before_and_after_each_promotion) {
    std::vector<usage_record> rows;
    int64_t t = day0;
    auto add = [&](const std::string & id, tier final_tier, const std::string & version) {
        auto r = fixtures::make_record(id, t += 1000);
        r.attempts.clear();
        r.final_tier = final_tier;
        r.model = final_tier == tier::slm ? "slm" : "frontier-x";
        r.model_version = final_tier == tier::slm ? version : "";
        r.cost_usd = final_tier == tier::slm ? 0.0 : 0.01;
        r.counterfactual_cost_usd = 0.01;
        rows.push_back(r);
    };
    add("f0", tier::frontier, "");       // before any local request: in the first period
    add("b1", tier::slm, "base");
    add("f1", tier::frontier, "");
    add("f2", tier::frontier, "");
    add("f3", tier::frontier, "");       // base: 1 of 5 on the SLM
    add("v1", tier::slm, "v1");
    add("v2", tier::slm, "v1");
    add("f4", tier::frontier, "");       // v1: 2 of 3
    add("b2", tier::slm, "base");        // a replica still on base: not a new period
    const auto rep = build_report(rows, day0, day0 + day_ms);
    ASSERT_EQ(rep.versions.size(), 2u);
    EXPECT_EQ(rep.versions[0].version, "base");
    EXPECT_EQ(rep.versions[0].requests, 5);
    EXPECT_DOUBLE_EQ(rep.versions[0].slm_share, 0.2);
    EXPECT_EQ(rep.versions[0].from_ms, day0 + 1000);
    EXPECT_NEAR(rep.versions[0].savings_usd, 0.01, 1e-12);
    EXPECT_EQ(rep.versions[1].model, "slm");
    EXPECT_EQ(rep.versions[1].version, "v1");
    EXPECT_EQ(rep.versions[1].requests, 4);
    EXPECT_DOUBLE_EQ(rep.versions[1].slm_share, 0.75);
    EXPECT_NEAR(rep.versions[1].savings_usd, 0.03, 1e-12);
    const std::string text = render_report_text(rep);
    EXPECT_NE(text.find("by local model version"), std::string::npos) << text;
    EXPECT_NE(text.find("75.0%"), std::string::npos) << text;
    EXPECT_EQ(nlohmann::json::parse(render_report_json(rep))["versions"][1]["version"], "v1");
    EXPECT_NE(render_report_html(rep).find("By local model version"), std::string::npos);
    // without versions (remote models only, or an older ledger): no such section
    EXPECT_TRUE(build_report(sample(), day0, day0 + 2 * day_ms).versions.empty());
}
