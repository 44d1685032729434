// The router's stages end to end on typed requests: constraints, rules,
// learned router, default, cascade; refusals and the trace.
#include <gtest/gtest.h>

#include <cmath>

#include "route_plan_test_support.h"
#include "router/learned_router.h"
#include "router/route_planner.h"

namespace tiergate::router {
namespace {

using testing::load;
using testing::three_models;

// A router file's model whose predictions ignore the prompt: p(weak), p(strong).
std::unique_ptr<learned_router> constant_router(float p_weak, float p_strong, double threshold) {
    router_model m;
    m.features.hash_bits = 4;
    m.models = {"weak-model", "strong-model"};
    m.costs = {0.0002, 0.003};
    feature_extractor fx(m.features);
    m.weights.assign(fx.dimension() * 2, 0.0f);
    auto logit = [](float p) { return std::log(p / (1 - p)); };
    m.bias = {logit(p_weak), logit(p_strong)};
    m.rule = pick_rule::threshold;
    m.threshold = threshold;
    EXPECT_EQ(m.check(), "");
    return std::make_unique<learned_router>(std::move(m));
}

class planner_test : public ::testing::Test {
  protected:
    route_planner make(const std::string & router_yaml, std::unique_ptr<learned_router> learned = nullptr) {
        auto loaded = load(three_models(router_yaml));
        EXPECT_TRUE(loaded.ok()) << loaded.errors_text();
        cfg_ = std::move(*loaded.value);
        config::config_errors errors("test.yaml");
        auto settings = read_route_settings(cfg_, errors);
        EXPECT_TRUE(errors.empty()) << errors.to_string();
        if (learned) {
            learned_settings l;
            l.models = {{"weak-model", "slm"}, {"strong-model", "frontier"}};
            settings.learned = l;
            settings.stages.push_back(stage_kind::learned);
            std::sort(settings.stages.begin(), settings.stages.end());
        }
        return route_planner(settings, route_models(cfg_), std::move(learned));
    }
    const std::string & name(const route_planner & p, const routing_decision & d) {
        return p.models()[*d.model].name;
    }
    config::config cfg_;
};

TEST_F(planner_test, a_pinned_model_is_served_when_the_constraints_allow_it) {
    auto p = make("");
    route_request r;
    r.pinned = p.find("frontier");
    auto d = p.plan(r);
    ASSERT_TRUE(d.model);
    EXPECT_EQ(name(p, d), "frontier");
    EXPECT_EQ(d.route_header(), "pinned:frontier");
    EXPECT_FALSE(d.escalate_to);
}

TEST_F(planner_test, a_pinned_external_model_is_refused_when_data_must_stay_on_prem) {
    auto p = make("");
    route_request r;
    r.pinned = p.find("frontier");
    r.on_prem_only = true;
    r.on_prem_reason = "US_SSN=1";
    auto d = p.plan(r);
    ASSERT_TRUE(d.refusal);
    EXPECT_EQ(d.refusal->kind, error_kind::permission);
    EXPECT_EQ(d.refusal->code, "on_prem_only");
    EXPECT_NE(d.refusal->message.find("US_SSN=1"), std::string::npos);
    EXPECT_EQ(d.refusal->message.find("123-45"), std::string::npos);
}

TEST_F(planner_test, the_key_scope_and_the_budget_constrain_a_pinned_model) {
    auto p = make("");
    std::vector<bool> allows{true, true, false};
    route_request r;
    r.pinned = p.find("frontier");
    r.key_allows = &allows;
    auto refused = p.plan(r);
    ASSERT_TRUE(refused.refusal);
    EXPECT_EQ(refused.refusal->code, "model_not_allowed");
    route_request b;
    b.pinned = p.find("frontier");
    b.budget_degraded = true;
    auto degraded = p.plan(b);
    ASSERT_TRUE(degraded.model);
    EXPECT_EQ(name(p, degraded), "slm");
    EXPECT_EQ(degraded.stage, "constraints");
}

TEST_F(planner_test, first_matching_rule_decides_and_excluded_targets_fall_through) {
    auto p = make(R"(router:
  rules:
    - { name: premium, when: { header: { x-user-tier: premium } }, to: { tier: frontier } }
    - { name: long, when: { min_prompt_tokens: 1000 }, to: { model: mid } }
)");
    std::map<std::string, std::string> headers{{"x-user-tier", "premium"}};
    route_request r;
    r.headers = &headers;
    r.prompt_tokens = 2000;
    auto d = p.plan(r);
    EXPECT_EQ(name(p, d), "frontier");
    EXPECT_EQ(d.route_header(), "rules:premium");
    // the frontier is external: with on-prem data the second rule decides
    r.on_prem_only = true;
    auto d2 = p.plan(r);
    EXPECT_EQ(name(p, d2), "mid");
    EXPECT_EQ(d2.stage, "rules");
    EXPECT_EQ(d2.reason, "long");
    ASSERT_EQ(d2.trace.size(), 2u);
    EXPECT_EQ(d2.trace[1].stage, stage_kind::rules);
    // nothing matches: the default model
    route_request none;
    auto d3 = p.plan(none);
    EXPECT_EQ(d3.stage, "default");
    EXPECT_EQ(name(p, d3), "slm");
}

TEST_F(planner_test, the_learned_router_picks_the_cheapest_model_over_the_threshold) {
    auto p = make("", constant_router(0.8f, 0.95f, 0.7));
    route_request r;
    r.prompt_text = "What is 2 + 2?";
    auto d = p.plan(r);
    EXPECT_EQ(d.stage, "learned");
    EXPECT_EQ(name(p, d), "slm");
    ASSERT_EQ(d.scores.size(), 2u);
    EXPECT_NEAR(d.scores[0].second, 0.8f, 1e-4);
    auto strict = make("", constant_router(0.8f, 0.95f, 0.9));
    EXPECT_EQ(name(strict, strict.plan(r)), "frontier");
    // the learned pick respects residency: the strong model is external
    route_request onprem = r;
    onprem.on_prem_only = true;
    auto d2 = strict.plan(onprem);
    EXPECT_EQ(name(strict, d2), "slm");
}

TEST_F(planner_test, the_cascade_applies_when_the_pick_is_its_first_model) {
    auto p = make(R"(router:
  cascade: { from: slm, to: frontier, min_mean_logprob: -2 }
)");
    route_request r;
    auto d = p.plan(r);
    EXPECT_EQ(name(p, d), "slm");
    ASSERT_TRUE(d.escalate_to);
    EXPECT_EQ(p.models()[*d.escalate_to].name, "frontier");
    // an escalation target the request may not use: no cascade
    r.on_prem_only = true;
    auto d2 = p.plan(r);
    EXPECT_FALSE(d2.escalate_to);
    // a pinned SLM is what the client asked for: no cascade either
    route_request pinned;
    pinned.pinned = p.find("slm");
    EXPECT_FALSE(p.plan(pinned).escalate_to);
}

TEST_F(planner_test, a_json_schema_request_needs_a_model_with_the_capability) {
    auto p = make("");
    route_request r;
    r.json_schema = true;
    auto d = p.plan(r);
    ASSERT_TRUE(d.model);
    // only the local SLM (json_schema by default) and frontier declare it
    EXPECT_NE(name(p, d), "mid");
}

TEST_F(planner_test, nothing_allowed_is_a_refusal_that_says_why) {
    auto p = make("");
    std::vector<bool> allows{false, false, true};
    route_request r;
    r.key_allows = &allows;
    r.on_prem_only = true;
    r.on_prem_reason = "CREDIT_CARD=1";
    auto d = p.plan(r);
    ASSERT_TRUE(d.refusal);
    EXPECT_EQ(d.refusal->code, "on_prem_only");
    EXPECT_FALSE(d.model);
}

TEST_F(planner_test, each_stage_is_timed) {
    auto p = make("router:\n  rules: [{ name: r, when: { user: [x] }, to: { tier: mid } }]\n",
                  constant_router(0.8f, 0.9f, 0.5));
    route_request r;
    auto d = p.plan(r);
    ASSERT_EQ(d.trace.size(), 3u);
    for (const auto & t : d.trace) {
        EXPECT_GE(t.micros, 0.0);
    }
    EXPECT_GE(d.micros, d.trace[0].micros);
}

}  // namespace
}  // namespace tiergate::router
