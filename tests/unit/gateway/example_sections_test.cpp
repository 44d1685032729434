// config/tiergate.example.yaml documents the router, guard and budgets
// sections: they read without errors and set every field their readers know.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/load_config.h"
#include "gateway/gateway_settings.h"

namespace tiergate::gateway {
namespace {

TEST(example_sections, read_cleanly_and_set_every_field) {
    const auto example = std::filesystem::path(TIERGATE_SOURCE_DIR) / "config/tiergate.example.yaml";
    auto loaded = config::load_config_file(
        example, config::fixed_env({{"TIERGATE_MODEL_DIR", std::string(TIERGATE_SHARED_DIR) + "/models"},
                                    {"FRONTIER_API_KEY", "test-value"},
                                    {"MID_API_KEY", "test-value"}}));
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    config::config_errors errors(example.string());
    auto s = read_gateway_settings(*loaded.value, errors);
    ASSERT_TRUE(errors.empty()) << errors.to_string();

    EXPECT_EQ(s.route.model_name, "auto");
    EXPECT_EQ(s.route.stages.size(), 3u);
    ASSERT_EQ(s.route.rules.size(), 2u);
    const auto & w = s.route.rules[0].when;
    EXPECT_TRUE(!w.headers.empty() && !w.users.empty() && !w.keywords.empty() && !w.regex.empty() &&
                w.min_prompt_tokens && w.max_prompt_tokens && w.json_schema && w.tools);
    ASSERT_TRUE(s.route.cascade);
    const auto & c = *s.route.cascade;
    EXPECT_TRUE(c.min_mean_logprob && c.min_token_logprob && c.min_mean_margin);
    EXPECT_EQ(c.from, std::vector<std::string>{"stories260K"});

    EXPECT_EQ(s.guard.default_policy, "standard");
    ASSERT_TRUE(s.guard.policies.count("strict"));
    EXPECT_EQ(s.guard.policies.at("strict").rules.size(), 5u);
    EXPECT_FALSE(s.guard.by_key.empty());
    EXPECT_FALSE(s.guard.by_team.empty());
    EXPECT_FALSE(s.guard.by_model.empty());
    ASSERT_EQ(s.guard.custom_patterns.size(), 1u);
    EXPECT_EQ(s.guard.custom_patterns[0].name, "EMPLOYEE_ID");

    const auto & b = s.budgets.limits;
    ASSERT_TRUE(b.default_key && b.default_team);
    EXPECT_TRUE(b.default_key->usd_per_day && b.default_key->requests_per_minute);
    EXPECT_EQ(b.default_team->on_usd_exhausted, ledger::exhaust_action::degrade_to_slm);
    EXPECT_TRUE(b.keys.at("key_0123456789abcdef").tokens_per_minute);
    EXPECT_TRUE(b.teams.at("research").usd_per_month);
    EXPECT_EQ(s.budgets.default_max_tokens, 1024);
}

}  // namespace
}  // namespace tiergate::gateway
