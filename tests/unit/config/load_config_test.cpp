#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "config/load_config.h"

namespace tiergate::config {
namespace {

const std::filesystem::path data_dir = std::filesystem::path(TIERGATE_SOURCE_DIR) / "tests/data/config";
const std::string shared_models = std::string(TIERGATE_SHARED_DIR) + "/models";

env_lookup test_env() {
    return fixed_env({{"TIERGATE_MODEL_DIR", shared_models},
                      {"FRONTIER_API_KEY", "test-value"},
                      {"ANTHROPIC_KEY", "test-value"}});
}

TEST(load_config, hybrid_file_becomes_runtime_types) {
    load_result loaded = load_config_file(data_dir / "valid/hybrid.yaml", test_env());
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    const config & cfg = *loaded.value;
    EXPECT_EQ(cfg.server.host, "0.0.0.0");
    EXPECT_EQ(cfg.server.port, 9000);
    EXPECT_EQ(cfg.server.max_body_bytes, 8 * 1024 * 1024);
    ASSERT_EQ(cfg.models.size(), 4u);

    const model_config & tiny = cfg.models[0];
    EXPECT_EQ(tiny.provider, provider_kind::local);
    EXPECT_EQ(tiny.tier, model_tier::slm);
    EXPECT_EQ(tiny.residency, data_residency::on_prem);
    ASSERT_TRUE(tiny.local);
    EXPECT_FALSE(tiny.remote);
    EXPECT_EQ(tiny.local->path, std::filesystem::absolute(shared_models + "/stories260K.gguf").lexically_normal());
    EXPECT_EQ(tiny.local->parallel, 4);
    EXPECT_EQ(tiny.local->ctx, 0);
    EXPECT_TRUE(tiny.local->embedding);
    EXPECT_TRUE(tiny.has(model_capability::logprobs));
    EXPECT_TRUE(tiny.has(model_capability::embeddings));
    EXPECT_EQ(tiny.fallbacks, (std::vector<std::string>{"mid-model", "claude"}));
    EXPECT_EQ(tiny.pos.line, 7);

    const model_config & mid = cfg.models[1];
    ASSERT_TRUE(mid.remote);
    EXPECT_EQ(mid.remote->endpoint, "http://[::1]:8000/v1");  // trailing slash removed
    EXPECT_EQ(mid.remote->api_key_env, "");
    EXPECT_EQ(mid.residency, data_residency::on_prem);

    const model_config & frontier = cfg.models[2];
    EXPECT_EQ(frontier.residency, data_residency::external);  // default for remote providers
    EXPECT_DOUBLE_EQ(frontier.price.input_per_mtok, 10.0);
    EXPECT_DOUBLE_EQ(frontier.price.output_per_mtok, 30.0);
    EXPECT_EQ(frontier.remote->api_key_env, "FRONTIER_API_KEY");
    EXPECT_EQ(frontier.timeouts.connect, millis(10'000));
    EXPECT_EQ(frontier.retries.max_attempts, 2);

    const model_config & claude = cfg.models[3];
    EXPECT_EQ(claude.provider, provider_kind::anthropic);
    EXPECT_EQ(claude.remote->endpoint, "https://api.anthropic.com/v1");

    EXPECT_EQ(cfg.frontier_baseline, "frontier");  // the first frontier-tier model
    ASSERT_NE(cfg.baseline(), nullptr);
    EXPECT_EQ(cfg.baseline()->name, "frontier");
    EXPECT_EQ(cfg.find_model("small"), &cfg.models[0]);
    EXPECT_EQ(cfg.find_model("nope"), nullptr);
    EXPECT_EQ(cfg.router.default_model, "tiny");
    ASSERT_TRUE(cfg.keys.store);
    EXPECT_EQ(*cfg.keys.store, (data_dir / "valid/keys.db").lexically_normal());
}

TEST(load_config, message_format_is_file_line_path_message) {
    std::filesystem::path file = data_dir / "invalid/wrong_type_price.yaml";
    load_result loaded = load_config_file(file, test_env());
    ASSERT_FALSE(loaded.ok());
    ASSERT_EQ(loaded.errors.size(), 1u);
    EXPECT_EQ(loaded.errors[0].to_string(),
              file.string() + ":10: models[0].price.input_per_mtok: expected a number, got \"ten\"");
    EXPECT_EQ(loaded.errors[0].pos.line, 10);
    EXPECT_EQ(loaded.errors[0].pos.column, 23);
}

TEST(load_config, copies_keep_the_name_index) {
    load_result loaded = load_config_file(data_dir / "valid/hybrid.yaml", test_env());
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    config copy = *loaded.value;
    ASSERT_NE(copy.find_model("small"), nullptr);
    EXPECT_EQ(copy.find_model("small"), &copy.models[0]);
}

TEST(load_config, text_with_base_dir_and_extension_sections) {
    const char * yaml = R"(
model_dir: models
models:
  - name: tiny
    provider: local
    tier: slm
    path: stories260K.gguf
router:
  rules: [{match: x}]
ledger:
  store: sqlite:ledger.db
  group_commit_ms: 20
)";
    load_result loaded = load_config_text(yaml, "inline.yaml", TIERGATE_SHARED_DIR, fixed_env({}));
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    const config & cfg = *loaded.value;
    EXPECT_EQ(cfg.model_dir, std::filesystem::absolute(shared_models).lexically_normal());
    EXPECT_TRUE(cfg.router.section.present());
    EXPECT_TRUE(cfg.router.section.node["rules"].IsSequence());
    EXPECT_EQ(cfg.router.section.file, "inline.yaml");
    EXPECT_FALSE(cfg.guard.section.present());
    EXPECT_EQ(cfg.ledger.group_commit, millis(20));
    EXPECT_EQ(cfg.ledger.store,
              "sqlite:" + (std::filesystem::absolute(TIERGATE_SHARED_DIR) / "ledger.db").lexically_normal().string());
    EXPECT_FALSE(cfg.keys.store);
    EXPECT_EQ(cfg.frontier_baseline, "");
    EXPECT_EQ(cfg.baseline(), nullptr);
}

TEST(load_config, reports_every_error_of_a_file) {
    const char * yaml = R"(models:
  - name: a
    provider: local
    tier: slm
    path: stories260K.gguf
    ctx: -1
  - name: b
    provider: openai_compatible
    endpoint: not a url
    tier: mid
    price: { input_per_mtok: -1, output_per_mtok: 0 }
)";
    load_result loaded = load_config_text(yaml, "x.yaml", ".", fixed_env({{"TIERGATE_MODEL_DIR", shared_models}}));
    ASSERT_FALSE(loaded.ok());
    std::string text = loaded.errors_text();
    EXPECT_NE(text.find("x.yaml:6: models[0].ctx: must be between 0 and"), std::string::npos) << text;
    EXPECT_NE(text.find("x.yaml:9: models[1].endpoint:"), std::string::npos) << text;
    EXPECT_NE(text.find("x.yaml:11: models[1].price.input_per_mtok: must not be negative"), std::string::npos) << text;
    EXPECT_EQ(loaded.errors.size(), 3u) << text;
}

TEST(load_config, missing_file) {
    load_result loaded = load_config_file("/nonexistent/tiergate.yaml", fixed_env({}));
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.errors_text(), "/nonexistent/tiergate.yaml: cannot open the config file\n");
}

TEST(load_config, startup_throws_with_all_errors) {
    std::filesystem::path file = data_dir / "invalid/several_errors.yaml";
    try {
        load_config_or_throw(file, fixed_env({{"TIERGATE_MODEL_DIR", shared_models}}));
        FAIL() << "expected config_load_error";
    } catch (const config_load_error & e) {
        EXPECT_EQ(e.errors().size(), 2u);
        EXPECT_NE(std::string(e.what()).find("several_errors.yaml:5: models[0].tier"), std::string::npos);
    }
}

TEST(load_config, reads_the_process_environment) {
    const char * yaml = R"(models:
  - name: f
    provider: openai
    api_key_env: TIERGATE_TEST_PROCESS_KEY
    tier: frontier
    price: { input_per_mtok: 1, output_per_mtok: 2 }
)";
    ::unsetenv("TIERGATE_TEST_PROCESS_KEY");
    EXPECT_FALSE(load_config_text(yaml, "p.yaml", ".").ok());
    ::setenv("TIERGATE_TEST_PROCESS_KEY", "secret-value", 1);
    load_result loaded = load_config_text(yaml, "p.yaml", ".");
    ::unsetenv("TIERGATE_TEST_PROCESS_KEY");
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    EXPECT_EQ(loaded.value->models[0].remote->endpoint, "https://api.openai.com/v1");
}

TEST(load_config, key_values_never_appear_in_errors) {
    const char * yaml = R"(models:
  - name: f
    provider: openai
    api_key_env: SET_KEY
    tier: frontier
    price: { input_per_mtok: ten, output_per_mtok: 2 }
)";
    load_result loaded = load_config_text(yaml, "p.yaml", ".", fixed_env({{"SET_KEY", "sk-very-secret-value"}}));
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.errors_text().find("sk-very-secret-value"), std::string::npos);
}

}  // namespace
}  // namespace tiergate::config
