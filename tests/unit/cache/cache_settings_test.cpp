// The cache section of the config: absent means no cache; read strictly.
#include <gtest/gtest.h>

#include "cache/cache_settings.h"
#include "config/load_config.h"

#include <filesystem>

namespace tiergate::cache {
namespace {

struct read_outcome {
    std::optional<answer_store_settings> settings;
    std::string errors;
};

read_outcome read(const std::string & section) {
    const std::string yaml = "model_dir: " TIERGATE_SHARED_DIR "/models\n"
                             "models:\n  - { name: slm, provider: local, tier: slm, path: stories260K.gguf }\n" +
                             section;
    auto loaded = config::load_config_text(yaml, "test.yaml", TIERGATE_SHARED_DIR "/models", config::fixed_env({}));
    EXPECT_TRUE(loaded.ok()) << loaded.errors_text();
    if (!loaded.ok()) {
        return {};
    }
    config::config_errors errors("test.yaml");
    auto s = read_cache_settings(*loaded.value, errors);
    return {s, errors.to_string()};
}

TEST(cache_settings, absent_section_means_no_cache) {
    auto r = read("");
    EXPECT_FALSE(r.settings);
    EXPECT_EQ(r.errors, "");
}

TEST(cache_settings, an_empty_section_takes_the_defaults) {
    auto r = read("cache: {}\n");
    ASSERT_TRUE(r.settings) << r.errors;
    EXPECT_EQ(r.settings->ttl.count(), 3600);
    EXPECT_EQ(r.settings->max_entries, 10000u);
    EXPECT_TRUE(r.settings->semantic);
    EXPECT_DOUBLE_EQ(r.settings->similarity, 0.85);
}

TEST(cache_settings, reads_every_field) {
    auto r = read("cache:\n  ttl_s: 60\n  max_entries: 5\n  semantic: false\n  similarity: 0.97\n  max_answer_kb: 4\n");
    ASSERT_TRUE(r.settings) << r.errors;
    EXPECT_EQ(r.settings->ttl.count(), 60);
    EXPECT_EQ(r.settings->max_entries, 5u);
    EXPECT_FALSE(r.settings->semantic);
    EXPECT_DOUBLE_EQ(r.settings->similarity, 0.97);
    EXPECT_EQ(r.settings->max_answer_bytes, 4096u);
}

TEST(cache_settings, a_route_sets_its_own_threshold) {
    auto r = read("cache:\n  similarity: 0.9\n  models:\n    auto: { similarity: 0.95 }\n    slm: { semantic: false }\n");
    ASSERT_TRUE(r.settings) << r.errors;
    EXPECT_DOUBLE_EQ(r.settings->similarity, 0.9);
    ASSERT_EQ(r.settings->routes.size(), 2u);
    EXPECT_DOUBLE_EQ(*r.settings->routes.at("auto").similarity, 0.95);
    EXPECT_FALSE(r.settings->routes.at("auto").semantic);
    EXPECT_EQ(r.settings->routes.at("slm").semantic, false);
    r = read("cache:\n  models:\n    auto: { similarity: 2 }\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("cache.models.auto.similarity"), std::string::npos) << r.errors;
    r = read("cache:\n  models: [auto]\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("cache.models"), std::string::npos) << r.errors;
    r = read("cache:\n  models:\n    auto: { threshold: 0.9 }\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("threshold"), std::string::npos) << r.errors;
}

TEST(cache_settings, the_example_config_sets_every_field) {
    const auto example = std::filesystem::path(TIERGATE_SOURCE_DIR) / "config/tiergate.example.yaml";
    auto loaded = config::load_config_file(
        example, config::fixed_env({{"TIERGATE_MODEL_DIR", std::string(TIERGATE_SHARED_DIR) + "/models"},
                                    {"FRONTIER_API_KEY", "x"},
                                    {"MID_API_KEY", "x"}}));
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    config::config_errors errors(example.string());
    auto s = read_cache_settings(*loaded.value, errors);
    ASSERT_TRUE(s) << errors.to_string();
    EXPECT_EQ(s->ttl.count(), 3600);
    EXPECT_EQ(s->routes.size(), 2u);
    EXPECT_EQ(s->routes.at("frontier").semantic, false);
}

TEST(cache_settings, bad_values_and_unknown_fields_are_located_errors) {
    auto r = read("cache:\n  ttl_s: 0\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("test.yaml:"), std::string::npos) << r.errors;
    EXPECT_NE(r.errors.find("cache.ttl_s"), std::string::npos) << r.errors;
    r = read("cache:\n  similarity: 0.2\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("cache.similarity"), std::string::npos) << r.errors;
    r = read("cache:\n  semantic: maybe\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("cache.semantic"), std::string::npos) << r.errors;
    r = read("cache:\n  ttl: 5\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("ttl"), std::string::npos) << r.errors;
    r = read("cache: [1]\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors, "");
}

}  // namespace
}  // namespace tiergate::cache
