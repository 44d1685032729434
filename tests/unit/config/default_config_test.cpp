#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/default_config.h"

namespace tiergate::config {
namespace {

class default_config_dir : public testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tiergate_default_config_" + std::to_string(::getpid()) + "_" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    void touch(const std::string & name) { std::ofstream(dir_ / name) << "GGUF"; }
    std::filesystem::path dir_;
};

TEST_F(default_config_dir, every_gguf_becomes_a_local_slm) {
    touch("zeta.gguf");
    touch("alpha.gguf");
    touch("notes.txt");
    std::filesystem::create_directories(dir_ / "sub.gguf");
    config cfg = build_default_config(dir_);
    ASSERT_EQ(cfg.models.size(), 2u);
    EXPECT_EQ(cfg.models[0].name, "alpha");
    EXPECT_EQ(cfg.models[1].name, "zeta");
    for (const auto & m : cfg.models) {
        EXPECT_EQ(m.provider, provider_kind::local);
        EXPECT_EQ(m.tier, model_tier::slm);
        EXPECT_EQ(m.residency, data_residency::on_prem);
        EXPECT_DOUBLE_EQ(m.price.input_per_mtok, 0.0);
        EXPECT_DOUBLE_EQ(m.price.output_per_mtok, 0.0);
        ASSERT_TRUE(m.local);
        EXPECT_EQ(m.local->path, std::filesystem::absolute(dir_ / (m.name + ".gguf")));
        EXPECT_FALSE(m.remote);
    }
    EXPECT_EQ(cfg.server.host, "127.0.0.1");
    EXPECT_EQ(cfg.server.port, 8080);
    EXPECT_FALSE(cfg.keys.store);
    EXPECT_EQ(cfg.router.default_model, "alpha");
    EXPECT_EQ(cfg.find_model("zeta"), &cfg.models[1]);
    EXPECT_EQ(cfg.source, "<embedded default>");
}

TEST_F(default_config_dir, model_dir_from_environment) {
    touch("one.gguf");
    config cfg = build_default_config(fixed_env({{"TIERGATE_MODEL_DIR", dir_.string()}}));
    ASSERT_EQ(cfg.models.size(), 1u);
    EXPECT_EQ(cfg.models[0].name, "one");
    EXPECT_EQ(cfg.model_dir, std::filesystem::absolute(dir_).lexically_normal());
}

TEST(default_config, model_dir_defaults_to_models_in_working_directory) {
    EXPECT_EQ(default_model_dir(fixed_env({})), (std::filesystem::current_path() / "models").lexically_normal());
}

TEST(default_config, shared_test_models) {
    config cfg = build_default_config(std::filesystem::path(TIERGATE_SHARED_DIR) / "models");
    ASSERT_NE(cfg.find_model("stories260K"), nullptr);
    EXPECT_NE(cfg.find_model("llama-2-tiny-random"), nullptr);
}

TEST(default_config, missing_directory_gives_no_models) {
    config cfg = build_default_config("/nonexistent/tiergate-models");
    EXPECT_TRUE(cfg.models.empty());
}

}  // namespace
}  // namespace tiergate::config
