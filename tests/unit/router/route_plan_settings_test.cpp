// The router section of the config: read strictly, names checked, errors located.
#include <gtest/gtest.h>

#include "route_plan_test_support.h"
#include "router/route_settings.h"

namespace tiergate::router {
namespace {

using testing::load;
using testing::three_models;

struct read_outcome {
    route_settings settings;
    std::string errors;
};

read_outcome read(const std::string & router_yaml) {
    auto loaded = load(three_models(router_yaml));
    EXPECT_TRUE(loaded.ok()) << loaded.errors_text();
    if (!loaded.ok()) {
        return {};
    }
    config::config_errors errors("test.yaml");
    read_outcome out{read_route_settings(*loaded.value, errors), errors.to_string()};
    return out;
}

TEST(route_settings, absent_section_runs_only_the_constraints) {
    auto r = read("");
    EXPECT_EQ(r.errors, "");
    EXPECT_EQ(r.settings.model_name, "auto");
    ASSERT_EQ(r.settings.stages.size(), 1u);
    EXPECT_EQ(r.settings.stages[0], stage_kind::constraints);
}

TEST(route_settings, reads_rules_cascade_and_defaults_the_stages_to_what_is_configured) {
    auto r = read(R"(router:
  model_name: tiergate-auto
  rules:
    - name: premium
      when: { header: { X-User-Tier: [premium, gold] }, min_prompt_tokens: 10 }
      to: { tier: frontier }
    - name: sql
      when: { keywords: [SELECT, join], regex: "(?i)from\\s+\\w+", tool_names: [sql_query] }
      to: { model: big }
  cascade:
    from: slm
    to: big
    min_mean_logprob: -1.5
    min_token_logprob: -7
    decide_after_tokens: 8
)");
    EXPECT_EQ(r.errors, "");
    const auto & s = r.settings;
    EXPECT_EQ(s.model_name, "tiergate-auto");
    ASSERT_EQ(s.rules.size(), 2u);
    EXPECT_EQ(s.rules[0].when.headers.at("x-user-tier"), (std::vector<std::string>{"premium", "gold"}));
    EXPECT_EQ(*s.rules[0].when.min_prompt_tokens, 10);
    EXPECT_EQ(*s.rules[0].to.tier, config::model_tier::frontier);
    EXPECT_EQ(s.rules[1].to.model, "frontier") << "aliases are stored canonical";
    EXPECT_EQ(s.rules[1].when.keywords, (std::vector<std::string>{"select", "join"}));
    EXPECT_EQ(s.rules[1].when.tool_names, (std::vector<std::string>{"sql_query"}));
    ASSERT_TRUE(s.cascade);
    EXPECT_EQ(s.cascade->from, std::vector<std::string>{"slm"});
    EXPECT_EQ(s.cascade->to, "frontier");
    EXPECT_DOUBLE_EQ(*s.cascade->min_mean_logprob, -1.5);
    EXPECT_EQ(s.cascade->decide_after_tokens, 8);
    EXPECT_FALSE(s.cascade->min_mean_margin);
    EXPECT_EQ(s.stages, (std::vector<stage_kind>{stage_kind::constraints, stage_kind::rules, stage_kind::cascade}));
}

TEST(route_settings, stages_can_be_switched_off_but_constraints_always_run) {
    auto r = read(R"(router:
  stages: [cascade]
  rules: [{ name: r, to: { tier: mid } }]
  cascade: { from: slm, to: mid, min_token_logprob: -5 }
)");
    EXPECT_EQ(r.errors, "");
    EXPECT_EQ(r.settings.stages, (std::vector<stage_kind>{stage_kind::constraints, stage_kind::cascade}));
    EXPECT_FALSE(r.settings.enabled(stage_kind::rules));
}

TEST(route_settings, a_model_named_like_the_router_is_an_error_even_without_a_router_section) {
    auto loaded = testing::load("model_dir: " TIERGATE_SHARED_DIR "/models\n"
                                "models:\n  - { name: auto, provider: local, tier: slm, path: stories260K.gguf }\n");
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    config::config_errors errors("test.yaml");
    read_route_settings(*loaded.value, errors);
    EXPECT_NE(errors.to_string().find("router.model_name"), std::string::npos) << errors.to_string();
}

struct bad_case {
    const char * yaml;
    const char * expect;  // a piece of the error text
};

class route_settings_errors : public ::testing::TestWithParam<bad_case> {};

TEST_P(route_settings_errors, is_reported_with_file_line_and_field) {
    auto r = read(GetParam().yaml);
    EXPECT_NE(r.errors.find(GetParam().expect), std::string::npos) << r.errors;
    EXPECT_NE(r.errors.find("test.yaml:"), std::string::npos) << r.errors;
}

INSTANTIATE_TEST_SUITE_P(
    cases, route_settings_errors,
    ::testing::Values(
        bad_case{"router:\n  rulez: []\n", "router.rulez"},
        bad_case{"router:\n  rules:\n    - { name: a, to: { model: nope } }\n", "unknown model \"nope\""},
        bad_case{"router:\n  rules:\n    - { name: a, to: { tier: huge } }\n", "router.rules[0].to.tier"},
        bad_case{"router:\n  rules:\n    - { name: a, to: { tier: mid, model: mid } }\n", "exactly one of"},
        bad_case{"router:\n  rules:\n    - { name: a, to: { tier: mid } }\n    - { name: a, to: { tier: mid } }\n",
                 "duplicate rule name"},
        bad_case{"router:\n  rules:\n    - { name: a, when: { regex: \"(\" }, to: { tier: mid } }\n",
                 "invalid RE2"},
        bad_case{"router:\n  rules:\n    - { name: a, when: { colour: red }, to: { tier: mid } }\n",
                 "router.rules[0].when.colour"},
        bad_case{"router:\n  cascade: { from: slm, to: frontier }\n", "at least one of"},
        bad_case{"router:\n  cascade: { from: slm, to: slm, min_token_logprob: -3 }\n", "the same model"},
        bad_case{"router:\n  cascade: { from: slm, to: frontier, min_mean_logprob: 0.5 }\n", "<= 0"},
        bad_case{"router:\n  stages: [rules]\n", "`rules` is empty"},
        bad_case{"router:\n  stages: [guessing]\n", "unknown stage"},
        bad_case{"router:\n  model_name: slm\n", "already a configured model"},
        bad_case{"router:\n  learned: { file: no-such.router, models: { a: slm } }\n", "no router file"}));

}  // namespace
}  // namespace tiergate::router
