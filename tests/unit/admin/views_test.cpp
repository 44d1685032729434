#include <gtest/gtest.h>

#include "admin/distillation_view.h"
#include "admin/knowledge_view.h"
#include "admin/models_view.h"
#include "admin/overview_view.h"
#include "admin/privacy_view.h"
#include "admin/routing_view.h"
#include "admin/series_view.h"
#include "view_records.h"

namespace tiergate::admin {
namespace {

using fixtures::record;

TEST(admin_views, overview_sums_the_ledger_and_splits_tiers_against_the_target) {
    const auto p = fixtures::hour();
    std::vector<ledger::usage_record> rows = {
        record("a", p.from_ms + 1'000, ledger::tier::slm, "small", 0.0, 0.01),
        record("b", p.from_ms + 2'000, ledger::tier::slm, "small", 0.0, 0.02),
        record("c", p.from_ms + 3'000, ledger::tier::frontier, "big", 0.03, 0.03),
        record("d", p.from_ms + 4'000, ledger::tier::mid, "mid", 0.004, 0.01, 502),
    };
    rows[1].cache = "exact";
    rows[2].escalated = true;
    const auto v = overview_view(fixtures::totals_of(rows, p, ledger::usage_group::tier), p, {0.7, 0.2, 0.1});
    EXPECT_EQ(v["requests"], 4);
    EXPECT_EQ(v["errors"], 1);
    EXPECT_DOUBLE_EQ(v["error_rate"].get<double>(), 0.25);
    EXPECT_EQ(v["escalated"], 1);
    EXPECT_EQ(v["cache_hits"], 1);
    EXPECT_NEAR(v["cost_usd"].get<double>(), 0.034, 1e-12);
    EXPECT_NEAR(v["counterfactual_cost_usd"].get<double>(), 0.07, 1e-12);
    EXPECT_NEAR(v["savings_usd"].get<double>(), 0.036, 1e-12);
    EXPECT_NEAR(v["savings_pct"].get<double>(), 0.036 / 0.07, 1e-12);
    EXPECT_NEAR(v["requests_per_s"].get<double>(), 4.0 / 3600, 1e-12);
    ASSERT_EQ(v["tiers"].size(), 3u);
    EXPECT_EQ(v["tiers"][0]["tier"], "slm");
    EXPECT_DOUBLE_EQ(v["tiers"][0]["share"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ(v["tiers"][0]["target_share"].get<double>(), 0.7);
    EXPECT_DOUBLE_EQ(v["tiers"][2]["share"].get<double>(), 0.25);
    EXPECT_NEAR(v["tiers"][2]["cost_usd"].get<double>(), 0.03, 1e-12);
}

TEST(admin_views, a_request_refused_before_any_model_has_no_tier) {
    const auto p = fixtures::hour();
    auto refused = record("r", p.from_ms + 1, ledger::tier::slm, "", 0, 0, 429);
    const auto v = overview_view(fixtures::totals_of({refused}, p, ledger::usage_group::tier), p, {0.7, 0.2, 0.1});
    EXPECT_EQ(v["requests"], 1);
    EXPECT_EQ(v["tiers"][0]["requests"], 0);
    EXPECT_EQ(v["tiers"][0]["share"], 0.0);
}

TEST(admin_views, series_fill_their_buckets) {
    auto p = fixtures::hour();
    std::vector<ledger::usage_record> rows = {
        record("a", p.from_ms + 5'000, ledger::tier::slm, "small", 0.0, 0.01),
        record("b", p.from_ms + 65'000, ledger::tier::slm, "small", 0.0, 0.01),
        record("c", p.from_ms + 66'000, ledger::tier::frontier, "big", 0.5, 0.5, 500),
        record("late", p.to_ms + 1, ledger::tier::slm, "small", 0.0, 0.01),  // outside: not counted
    };
    const auto v = series_view(fixtures::totals_of(rows, p, ledger::usage_group::tier, true), p, ledger::usage_group::tier);
    EXPECT_EQ(v["bucket_ms"], 60'000);
    EXPECT_EQ(v["buckets"].size(), static_cast<size_t>(p.bucket_count()));
    EXPECT_EQ(v["buckets"][0], p.first_bucket_ms());
    ASSERT_EQ(v["series"].size(), 2u);
    EXPECT_EQ(v["series"][0]["name"], "slm");  // most requests first
    EXPECT_EQ(v["series"][0]["requests"][0], 1);
    EXPECT_EQ(v["series"][0]["requests"][1], 1);
    EXPECT_EQ(v["series"][1]["name"], "frontier");
    EXPECT_EQ(v["series"][1]["errors"][1], 1);
    EXPECT_DOUBLE_EQ(v["series"][1]["cost_usd"][1].get<double>(), 0.5);
    int64_t total = 0;
    for (const auto & s : v["series"]) {
        for (const auto & n : s["requests"]) {
            total += n.get<int64_t>();
        }
    }
    EXPECT_EQ(total, 3);
}

TEST(admin_views, series_beyond_twelve_are_summed_as_other) {
    const auto p = fixtures::hour();
    std::vector<ledger::usage_record> rows;
    for (int team = 0; team < 15; ++team) {
        for (int i = 0; i <= team; ++i) {
            auto r = record("t" + std::to_string(team) + "-" + std::to_string(i), p.from_ms + 1000, ledger::tier::slm,
                            "small", 0, 0);
            r.team = "team" + std::to_string(team);
            rows.push_back(r);
        }
    }
    const auto v = series_view(fixtures::totals_of(rows, p, ledger::usage_group::team, true), p, ledger::usage_group::team);
    ASSERT_EQ(v["series"].size(), max_series + 1);
    EXPECT_EQ(v["series"][0]["name"], "team14");
    EXPECT_EQ(v["series"].back()["name"], "other");
    EXPECT_EQ(v["series"].back()["requests"][0], 1 + 2 + 3);  // team0..team2
    EXPECT_EQ(*parse_series_group("status"), ledger::usage_group::status);
    EXPECT_EQ(*parse_series_group("stage"), ledger::usage_group::route);
    EXPECT_FALSE(parse_series_group("colour"));
}

TEST(admin_views, routing_counts_stages_cascades_and_fallbacks) {
    const auto p = fixtures::hour();
    auto a = record("a", p.from_ms + 1, ledger::tier::slm, "small", 0, 0);
    a.route = "rule";
    auto b = record("b", p.from_ms + 2, ledger::tier::frontier, "big", 0.1, 0.1);
    b.route = "learned";
    b.route_reason = "p=0.4+cascade:small>big";
    b.escalated = true;
    auto c = record("c", p.from_ms + 3, ledger::tier::slm, "small", 0, 0);
    c.route = "learned";
    c.route_reason = "p=0.9+cascade:small>big";
    c.attempts.push_back(c.attempts.front());
    c.attempts.back().kind = ledger::attempt_kind::fallback;
    const auto v = routing_view({a, b, c}, p);
    EXPECT_EQ(v["requests"], 3);
    EXPECT_EQ(v["stages"][0]["stage"], "learned");
    EXPECT_EQ(v["stages"][0]["requests"], 2);
    EXPECT_EQ(v["cascade"]["requests"], 2);
    EXPECT_EQ(v["cascade"]["escalated"], 1);
    EXPECT_DOUBLE_EQ(v["cascade"]["escalation_rate"].get<double>(), 0.5);
    EXPECT_EQ(v["fallbacks"], 1);
    EXPECT_EQ(v["retries"], 0);
    EXPECT_EQ(v["models"][0]["model"], "small");
    EXPECT_EQ(v["models"][0]["tier"], "slm");
}

TEST(admin_views, privacy_counts_findings_and_what_became_of_them) {
    const auto p = fixtures::hour();
    auto blocked = record("a", p.from_ms + 1, ledger::tier::slm, "", 0, 0, 403);
    blocked.route = "guard";
    blocked.pii_counts = {{"US_SSN", 1}};
    auto local = record("b", p.from_ms + 2, ledger::tier::slm, "small", 0, 0);
    local.pii_counts = {{"EMAIL_ADDRESS", 2}};
    auto remote = record("c", p.from_ms + 3, ledger::tier::frontier, "big", 0.1, 0.1);
    remote.provider = "openai";
    remote.pii_counts = {{"EMAIL_ADDRESS", 1}, {"PERSON", 0}};
    auto clean = record("d", p.from_ms + 4, ledger::tier::slm, "small", 0, 0);
    auto refused = record("e", p.from_ms + 5, ledger::tier::slm, "", 0, 0, 429);
    refused.route = "budget";
    refused.pii_counts = {{"US_SSN", 1}};
    const auto v = privacy_view({blocked, local, remote, clean, refused}, p);
    EXPECT_EQ(v["requests"], 5);
    EXPECT_EQ(v["requests_with_findings"], 4);
    ASSERT_EQ(v["findings"].size(), 2u);
    EXPECT_EQ(v["findings"][0]["entity_type"], "EMAIL_ADDRESS");
    EXPECT_EQ(v["findings"][0]["count"], 3);
    EXPECT_EQ(v["findings"][0]["requests"], 2);
    EXPECT_EQ(v["findings"][1]["entity_type"], "US_SSN");
    EXPECT_EQ(v["findings"][1]["requests"], 2);
    std::map<std::string, int64_t> actions;
    for (const auto & a : v["actions"]) {
        actions[a["action"]] = a["requests"];
    }
    EXPECT_EQ(actions["blocked"], 1);
    EXPECT_EQ(actions["kept_on_prem"], 1);
    EXPECT_EQ(actions["protected"], 1);
    EXPECT_EQ(actions["not_served"], 1);
    EXPECT_EQ(v.dump().find("a@"), std::string::npos);  // counts only
}

}  // namespace
}  // namespace tiergate::admin

namespace tiergate::admin {
namespace {

TEST(admin_views, collections_show_their_size_and_how_requests_used_them) {
    const auto p = fixtures::hour();
    rag::collection_info docs, empty;
    docs.id = "vs_docs";
    docs.name = "Handbook";
    docs.team = "ops";
    docs.documents = 3;
    docs.chunks = 40;
    empty.id = "vs_empty";
    auto a = fixtures::record("a", p.from_ms + 1, ledger::tier::slm, "small", 0, 0);
    a.retrieved = "vs_docs:12 vs_docs:13 vs_gone:1";
    auto b = fixtures::record("b", p.from_ms + 2, ledger::tier::slm, "small", 0, 0);
    b.retrieved = "vs_docs:7";
    auto c = fixtures::record("c", p.from_ms + 3, ledger::tier::slm, "small", 0, 0);
    const auto v = knowledge_view({docs, empty}, {a, b, c}, p);
    EXPECT_EQ(v["requests"], 3);
    EXPECT_EQ(v["requests_with_retrieval"], 2);
    ASSERT_EQ(v["collections"].size(), 2u);
    EXPECT_EQ(v["collections"][0]["name"], "Handbook");
    EXPECT_EQ(v["collections"][0]["chunks"], 40);
    EXPECT_EQ(v["collections"][0]["requests"], 2);
    EXPECT_EQ(v["collections"][0]["chunks_retrieved"], 3);
    EXPECT_EQ(v["collections"][1]["requests"], 0);
}

TEST(admin_views, distillation_shows_each_promotions_traffic) {
    const auto p = fixtures::hour();
    std::vector<ledger::usage_record> rows;
    for (int i = 0; i < 4; ++i) {
        const bool after = i >= 2;
        auto r = fixtures::record("r" + std::to_string(i), p.from_ms + 1000 * (i + 1),
                                  after || i == 0 ? ledger::tier::slm : ledger::tier::frontier,
                                  after || i == 0 ? "small" : "big", after || i == 0 ? 0.0 : 0.1, 0.1);
        if (r.model == "small") {
            r.model_version = after ? "v1" : "base";
        }
        rows.push_back(r);
    }
    providers::registry none;
    const auto v = distillation_view(rows, p, none);
    ASSERT_EQ(v["periods"].size(), 2u) << v.dump();
    EXPECT_EQ(v["periods"][0]["version"], "base");
    EXPECT_EQ(v["periods"][0]["requests"], 2);
    EXPECT_DOUBLE_EQ(v["periods"][0]["slm_share"].get<double>(), 0.5);
    EXPECT_EQ(v["periods"][1]["version"], "v1");
    EXPECT_DOUBLE_EQ(v["periods"][1]["slm_share"].get<double>(), 1.0);
    EXPECT_TRUE(v["serving"].empty());
}

}  // namespace
}  // namespace tiergate::admin
