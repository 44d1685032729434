// A model's deployments and balancing, read strictly: every mistake is an
// error naming its line and field; good entries take the documented defaults.
#include <gtest/gtest.h>

#include "config/load_config.h"
#include "fleet/pool_settings.h"

namespace tiergate::fleet {
namespace {

struct read_outcome {
    std::optional<pool_settings> settings;
    std::string errors;  // of the fleet module, or of the config module when it refused the file
};

read_outcome read(const std::string & entry, const std::map<std::string, std::string> & env = {{"EAST_KEY", "k1"}}) {
    const std::string yaml = "model_dir: " TIERGATE_SHARED_DIR "/models\n"
                             "models:\n"
                             "  - { name: slm, provider: local, tier: slm, path: stories260K.gguf, parallel: 3 }\n"
                             "  - name: mid\n"
                             "    provider: openai_compatible\n"
                             "    tier: mid\n"
                             "    price: {input_per_mtok: 1, output_per_mtok: 2}\n" +
                             entry;
    auto loaded = config::load_config_text(yaml, "test.yaml", TIERGATE_SHARED_DIR "/models", config::fixed_env(env));
    if (!loaded.ok()) {
        return {std::nullopt, loaded.errors_text()};
    }
    config::config_errors errors("test.yaml");
    auto s = read_pool_settings(*loaded.value, *loaded.value->find_model("mid"), config::fixed_env(env), errors);
    return {s, errors.to_string()};
}

TEST(pool_settings, a_pool_of_remote_and_local_deployments) {
    auto r = read(
        "    deployments:\n"
        "      - {name: east, endpoint: 'http://10.0.0.5:8000/v1/', api_key_env: EAST_KEY, weight: 2, rpm: 60,"
        " tpm: 1000, max_concurrency: 4, region: us-east, tags: [a100]}\n"
        "      - {endpoint: 'http://10.0.0.6:8000/v1'}\n"
        "      - {model: slm}\n"
        "    balancing: {strategy: least_busy, cooldown_ms: 100,"
        " health_check: {path: /health, interval_ms: 500}, prefix_affinity: {block_bytes: 64}}\n");
    ASSERT_TRUE(r.settings) << r.errors;
    const auto & s = *r.settings;
    EXPECT_EQ(s.strategy, balance_strategy::least_busy);
    EXPECT_EQ(s.cooldown.count(), 100);
    EXPECT_EQ(s.health.path, "/health");
    EXPECT_EQ(s.health.interval.count(), 500);
    EXPECT_EQ(s.health.timeout.count(), 250);  // not given: at most half the interval
    ASSERT_TRUE(s.affinity);
    EXPECT_EQ(s.affinity->block_bytes, 64u);
    ASSERT_EQ(s.deployments.size(), 3u);
    EXPECT_EQ(s.deployments[0].name, "east");
    EXPECT_EQ(s.deployments[0].endpoint, "http://10.0.0.5:8000/v1");  // trailing slash dropped
    EXPECT_EQ(s.deployments[0].api_key_env, "EAST_KEY");
    EXPECT_EQ(s.deployments[0].weight, 2.0);
    EXPECT_EQ(s.deployments[0].rpm, 60);
    EXPECT_EQ(s.deployments[0].tpm, 1000);
    EXPECT_EQ(s.deployments[0].max_concurrency, 4);
    EXPECT_EQ(s.deployments[0].tags, std::vector<std::string>{"a100"});
    EXPECT_EQ(s.deployments[1].name, "10.0.0.6:8000");  // named by host:port by default
    EXPECT_EQ(s.deployments[2].name, "slm");
    EXPECT_EQ(s.deployments[2].local_model, "slm");
    EXPECT_EQ(s.deployments[2].max_concurrency, 3);  // its parallel slots
}

TEST(pool_settings, defaults) {
    auto r = read("    deployments: [{endpoint: 'http://127.0.0.1:9000'}]\n");
    ASSERT_TRUE(r.settings) << r.errors;
    EXPECT_EQ(r.settings->strategy, balance_strategy::weighted);
    EXPECT_EQ(r.settings->cooldown.count(), 5000);
    EXPECT_TRUE(r.settings->health.path.empty());
    EXPECT_FALSE(r.settings->affinity);
    EXPECT_TRUE(r.settings->latency_of_ttft);
}

TEST(pool_settings, a_model_without_deployments_has_no_pool) {
    auto r = read("    endpoint: http://127.0.0.1:9000\n");
    EXPECT_FALSE(r.settings);
    EXPECT_EQ(r.errors, "");
}

TEST(pool_settings, each_mistake_is_an_error_with_its_line_and_field) {
    struct bad_case {
        std::string entry;
        std::string expected;
    };
    const std::vector<bad_case> cases = {
        {"    deployments: []\n", "models[1].deployments: expected a list of one or more deployments"},
        {"    deployments: {endpoint: 'http://a:1'}\n", "expected a list"},
        {"    deployments: [{endpoint: 'ftp://a:1'}]\n", "deployments[0].endpoint: expected an http"},
        {"    deployments: [{endpoint: 'http://a:1', model: slm}]\n", "either a remote endpoint or an in-process model"},
        {"    deployments: [{weight: 1}]\n", "deployments[0].endpoint: required"},
        {"    deployments: [{model: nope}]\n", "unknown model \"nope\""},
        {"    deployments: [{model: mid}]\n", "is not an in-process (provider: local) model"},
        {"    deployments: [{endpoint: 'http://a:1', colour: red}]\n", "colour"},
        {"    deployments: [{endpoint: 'http://a:1', weight: -1}]\n", "deployments[0].weight"},
        {"    deployments: [{endpoint: 'http://a:1', weight: ten}]\n", "deployments[0].weight"},
        {"    deployments: [{endpoint: 'http://a:1', rpm: -5}]\n", "deployments[0].rpm: must be between"},
        {"    deployments: [{endpoint: 'http://a:1', api_key_env: 'sk-live-123'}]\n", "NAME of an environment variable"},
        {"    deployments: [{endpoint: 'http://a:1', api_key_env: UNSET_KEY}]\n", "UNSET_KEY is not set"},
        {"    deployments: [{endpoint: 'http://a:1'}, {endpoint: 'http://a:1'}]\n", "used twice"},
        {"    deployments: [{endpoint: 'http://a:1'}]\n    balancing: {health_check: {path: /h, interval_ms: 500, timeout_ms: 500}}\n",
         "health_check.timeout_ms: must be shorter than interval_ms (500)"},
        {"    deployments: [{model: slm}]\n    balancing: {health_check: {path: /h}}\n", "this pool has none"},
        {"    deployments: [{endpoint: 'http://a:1', weight: -1}]\n", "weight: must be between 0 and 1e+06, got -1"},
        {"    deployments: [{endpoint: 'http://a:1'}]\n    balancing: {strategy: fastest}\n",
         "unknown strategy \"fastest\""},
        {"    deployments: [{endpoint: 'http://a:1'}]\n    balancing: {exploration: 2}\n",
         "balancing.exploration: must be between 0 and 1"},
        {"    deployments: [{endpoint: 'http://a:1'}]\n    balancing: {health_check: {path: health}}\n",
         "starting with /"},
        {"    deployments: [{endpoint: 'http://a:1'}]\n    balancing: {health_check: {interval_ms: 10}}\n",
         "health_check.path"},
        {"    deployments: [{endpoint: 'http://a:1'}]\n    balancing: {prefix_affinity: {load_factor: 0.5}}\n",
         "prefix_affinity.load_factor"},
        {"    deployments: [{endpoint: 'http://a:1'}]\n    balancing: {latency_of: p99}\n", "expected ttft or total"},
        {"    deployments: [{endpoint: 'http://a:1'}]\n    balancing: {spread: even}\n", "spread"},
    };
    for (const auto & c : cases) {
        auto r = read(c.entry);
        EXPECT_FALSE(r.settings) << c.entry;
        EXPECT_NE(r.errors.find(c.expected), std::string::npos) << c.entry << "\n" << r.errors;
        EXPECT_NE(r.errors.find("test.yaml:"), std::string::npos) << r.errors;  // with a line
    }
}

TEST(pool_settings, the_config_module_refuses_a_pool_where_it_cannot_be) {
    auto both = read("    endpoint: http://127.0.0.1:9000\n    deployments: [{endpoint: 'http://a:1'}]\n");
    EXPECT_NE(both.errors.find("models[1].endpoint: a model with deployments"), std::string::npos) << both.errors;
    auto lone = read("    endpoint: http://127.0.0.1:9000\n    balancing: {strategy: weighted}\n");
    EXPECT_NE(lone.errors.find("models[1].balancing: needs deployments"), std::string::npos) << lone.errors;
    auto none = read("    api_key_env: EAST_KEY\n");
    EXPECT_NE(none.errors.find("models[1].endpoint: required"), std::string::npos) << none.errors;

    const std::string yaml = "model_dir: " TIERGATE_SHARED_DIR "/models\n"
                             "models:\n"
                             "  - { name: slm, provider: local, tier: slm, path: stories260K.gguf,"
                             " deployments: [{endpoint: 'http://a:1'}] }\n";
    auto loaded = config::load_config_text(yaml, "test.yaml", TIERGATE_SHARED_DIR "/models", config::fixed_env({}));
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.errors_text().find("models[0].deployments: applies only to provider"), std::string::npos)
        << loaded.errors_text();
}

TEST(pool_settings, the_model_key_is_the_default_and_openai_needs_one) {
    auto r = read("    api_key_env: EAST_KEY\n    deployments: [{endpoint: 'http://a:1'}]\n");
    ASSERT_TRUE(r.settings) << r.errors;
    EXPECT_EQ(r.settings->deployments[0].api_key_env, "EAST_KEY");
    const std::string yaml = "models:\n"
                             "  - {name: gpt, provider: openai, tier: frontier, price: {input_per_mtok: 1, output_per_mtok: 2},"
                             " deployments: [{endpoint: 'https://a'}]}\n";
    auto loaded = config::load_config_text(yaml, "test.yaml", ".", config::fixed_env({}));
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    config::config_errors errors("test.yaml");
    EXPECT_FALSE(read_pool_settings(*loaded.value, loaded.value->models[0], config::fixed_env({}), errors));
    EXPECT_NE(errors.to_string().find("required for provider openai"), std::string::npos) << errors.to_string();
}

}  // namespace
}  // namespace tiergate::fleet

namespace tiergate::fleet {
namespace {

// config/tiergate.example.yaml shows every field of a pool: it reads without an error.
TEST(pool_settings, the_example_config_pool_sets_every_field) {
    const auto env = config::fixed_env({{"TIERGATE_MODEL_DIR", std::string(TIERGATE_SHARED_DIR) + "/models"},
                                        {"FRONTIER_API_KEY", "v"},
                                        {"MID_API_KEY", "v"}});
    auto loaded = config::load_config_file(std::string(TIERGATE_SOURCE_DIR) + "/config/tiergate.example.yaml", env);
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    const auto * model = loaded.value->find_model("mid-pool");
    ASSERT_NE(model, nullptr);
    config::config_errors errors("example");
    auto s = read_pool_settings(*loaded.value, *model, env, errors);
    ASSERT_TRUE(s) << errors.to_string();
    EXPECT_EQ(s->strategy, balance_strategy::least_busy);
    ASSERT_EQ(s->deployments.size(), 3u);
    const auto & a = s->deployments[0];
    EXPECT_TRUE(a.rpm > 0 && a.tpm > 0 && a.max_concurrency > 0 && a.weight == 2 && !a.region.empty() && !a.tags.empty());
    EXPECT_EQ(s->deployments[2].local_model, "stories260K");
    EXPECT_EQ(s->health.path, "/health");
    ASSERT_TRUE(s->affinity);
    EXPECT_EQ(s->affinity->remembered_blocks, 65536u);
    EXPECT_TRUE(s->latency_of_ttft);
    EXPECT_DOUBLE_EQ(s->exploration, 0.1);
    EXPECT_EQ(s->health.timeout.count(), 2000);
}

}  // namespace
}  // namespace tiergate::fleet
