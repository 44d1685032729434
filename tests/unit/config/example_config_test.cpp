// config/tiergate.example.yaml documents every field: it must load, and it
// must set every field the parser knows, so a new field cannot be left out.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/load_config.h"
#include "config/parse_raw_config.h"

namespace tiergate::config {
namespace {

const std::filesystem::path example = std::filesystem::path(TIERGATE_SOURCE_DIR) / "config/tiergate.example.yaml";

env_lookup example_env() {
    return fixed_env({{"TIERGATE_MODEL_DIR", std::string(TIERGATE_SHARED_DIR) + "/models"},
                      {"FRONTIER_API_KEY", "test-value"},
                      {"MID_API_KEY", "test-value"}});
}

TEST(example_config, loads) {
    load_result loaded = load_config_file(example, example_env());
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    EXPECT_EQ(loaded.value->models.size(), 4u);
    EXPECT_EQ(loaded.value->frontier_baseline, "frontier");
}

TEST(example_config, fails_without_the_key_variable_it_names) {
    load_result loaded =
        load_config_file(example, fixed_env({{"TIERGATE_MODEL_DIR", std::string(TIERGATE_SHARED_DIR) + "/models"},
                                             {"MID_API_KEY", "test-value"}}));
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.errors_text().find("environment variable FRONTIER_API_KEY is not set"), std::string::npos);
}

TEST(example_config, sets_every_field) {
    std::ifstream in(example);
    std::stringstream text;
    text << in.rdbuf();
    config_errors errors(example.string());
    raw_config raw = parse_raw_config(text.str(), errors);
    ASSERT_TRUE(errors.empty()) << errors.to_string();

    ASSERT_TRUE(raw.server);
    const raw_server & s = *raw.server;
    EXPECT_TRUE(s.host && s.port && s.max_body_bytes && s.read_timeout_ms && s.idle_timeout_ms && s.request_timeout_ms && s.threads);
    EXPECT_TRUE(raw.frontier_baseline);
    ASSERT_TRUE(raw.router);
    EXPECT_TRUE(raw.router->default_model);
    ASSERT_TRUE(raw.guard);
    EXPECT_TRUE(raw.guard->enabled);
    ASSERT_TRUE(raw.ledger);
    EXPECT_TRUE(raw.ledger->store && raw.ledger->group_commit_ms);
    ASSERT_TRUE(raw.keys);
    EXPECT_TRUE(raw.keys->store);
    // model_dir is shown commented out: the test environment decides the model directory.
    // The router, guard and budgets sections belong to other modules; their fields are
    // checked by tests/unit/gateway (example_sections_test).
    EXPECT_NE(text.str().find("# model_dir:"), std::string::npos);
    EXPECT_TRUE(raw.budgets.IsDefined() && raw.budgets.IsMap());

    ASSERT_GE(raw.models.size(), 2u);
    const raw_model & local = raw.models[0];
    EXPECT_TRUE(local.name && local.aliases && local.provider && local.tier && local.price && local.residency &&
                local.context_window && local.fallbacks && local.capabilities && local.model_path && local.parallel &&
                local.ctx && local.threads && local.batch && local.embedding && local.timeouts && local.retries);
    ASSERT_TRUE(local.timeouts && local.retries);
    EXPECT_TRUE(local.timeouts->connect_ms && local.timeouts->first_byte_ms && local.timeouts->idle_ms &&
                local.timeouts->total_ms);
    EXPECT_TRUE(local.retries->max_attempts && local.retries->base_backoff_ms);
    const raw_model & remote = raw.models[1];
    EXPECT_TRUE(remote.endpoint && remote.api_key_env);
    // a pool's fields belong to the fleet module; tests/unit/fleet reads the example's pool
    ASSERT_GE(raw.models.size(), 4u);
    EXPECT_TRUE(raw.models[3].deployments.IsSequence() && raw.models[3].balancing.IsMap());
}

}  // namespace
}  // namespace tiergate::config
