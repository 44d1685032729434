// The `distill` section: read strictly, and as config/tiergate.example.yaml documents it.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/load_config.h"
#include "distill/distill_settings.h"

namespace tiergate::distill {
namespace {

std::optional<distill_settings> read(const std::string & section, std::string & errors_text) {
    const std::string yaml = "model_dir: " TIERGATE_SHARED_DIR "/models\n"
                             "models:\n  - { name: slm, provider: local, tier: slm, path: stories260K.gguf }\n" +
                             section;
    auto loaded = config::load_config_text(yaml, "test.yaml", "/srv/tiergate", config::fixed_env({}));
    EXPECT_TRUE(loaded.ok()) << loaded.errors_text();
    config::config_errors errors("test.yaml");
    auto s = read_distill_settings(*loaded.value, errors);
    errors_text = errors.to_string();
    return s;
}

TEST(distill_settings, absent_means_nothing_captured_and_no_promotions) {
    std::string errors;
    EXPECT_FALSE(read("", errors));
    EXPECT_TRUE(errors.empty());
}

TEST(distill_settings, the_store_is_relative_to_the_config_and_capture_is_optional) {
    std::string errors;
    auto s = read("distill:\n  store: data/d.db\n", errors);
    ASSERT_TRUE(s) << errors;
    EXPECT_EQ(s->store, "/srv/tiergate/data/d.db");
    EXPECT_FALSE(s->capture);
}

TEST(distill_settings, the_store_follows_a_postgresql_ledger_unless_named) {
    std::string errors;
    auto s = read("ledger:\n  store: postgresql://u@db/tiergate\ndistill:\n  capture: {}\n", errors);
    ASSERT_TRUE(s) << errors;
    EXPECT_EQ(s->store, "postgresql://u@db/tiergate");
    ASSERT_TRUE(s->capture);
    EXPECT_EQ(s->capture->store, s->store);
    auto own = read("ledger:\n  store: postgresql://u@db/tiergate\ndistill:\n  store: d.db\n", errors);
    ASSERT_TRUE(own) << errors;
    EXPECT_EQ(own->store, "/srv/tiergate/d.db");
    auto sqlite_ledger = read("ledger:\n  store: sqlite:/srv/l.db\ndistill: {}\n", errors);
    ASSERT_TRUE(sqlite_ledger) << errors;
    EXPECT_EQ(sqlite_ledger->store, "/srv/tiergate/tiergate-distill.db");
}

TEST(distill_settings, wrong_values_are_named_with_their_line) {
    std::string errors;
    EXPECT_FALSE(read("distill:\n  capture:\n    sample: 2\n    max_mb: 0\n    tasks: triage\n    colour: red\n", errors));
    EXPECT_NE(errors.find("distill.capture.sample"), std::string::npos) << errors;
    EXPECT_NE(errors.find("distill.capture.max_mb"), std::string::npos) << errors;
    EXPECT_NE(errors.find("distill.capture.tasks"), std::string::npos) << errors;
    EXPECT_NE(errors.find("distill.capture.colour"), std::string::npos) << errors;
    EXPECT_NE(errors.find("test.yaml:"), std::string::npos) << errors;
}

TEST(distill_settings, the_example_documents_every_field) {
    const auto example = std::filesystem::path(TIERGATE_SOURCE_DIR) / "config/tiergate.example.yaml";
    auto loaded = config::load_config_file(
        example, config::fixed_env({{"TIERGATE_MODEL_DIR", std::string(TIERGATE_SHARED_DIR) + "/models"},
                                    {"FRONTIER_API_KEY", "test-value"},
                                    {"MID_API_KEY", "test-value"}}));
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    config::config_errors errors(example.string());
    auto s = read_distill_settings(*loaded.value, errors);
    ASSERT_TRUE(errors.empty()) << errors.to_string();
    ASSERT_TRUE(s && s->capture);
    const auto & r = s->capture->rules;
    EXPECT_FALSE(r.routes.empty() || r.keys.empty() || r.teams.empty() || r.tasks.empty());
    EXPECT_LT(r.sample, 1.0);
    EXPECT_TRUE(r.on_prem);
    EXPECT_EQ(s->capture->max_bytes, int64_t{512} << 20);
}

}  // namespace
}  // namespace tiergate::distill
