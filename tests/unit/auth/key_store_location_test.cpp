#include <gtest/gtest.h>

#include <fstream>

#include "auth/key_store_location.h"
#include "temp_store.h"

namespace tiergate::auth {
namespace {

class key_store_location_test : public temp_store_test {
  protected:
    std::filesystem::path write_config(const std::string & keys_section) {
        std::filesystem::path file = dir_ / "tiergate.yaml";
        std::ofstream(file) << "models:\n  - name: tiny\n    provider: local\n    tier: slm\n"
                               "    path: stories260K.gguf\n"
                            << keys_section;
        return file;
    }
    config::env_lookup env() {
        return config::fixed_env({{"TIERGATE_MODEL_DIR", std::string(TIERGATE_SHARED_DIR) + "/models"}});
    }
};

TEST_F(key_store_location_test, store_flag_wins) {
    auto where = locate_key_store("/somewhere/keys.db", write_config("keys:\n  store: other.db\n").string(), env());
    ASSERT_TRUE(where);
    EXPECT_EQ(where->path, "/somewhere/keys.db");
    EXPECT_FALSE(where->cfg);
}

TEST_F(key_store_location_test, from_config_relative_to_its_directory) {
    auto where = locate_key_store("", write_config("keys:\n  store: sub/keys.db\n").string(), env());
    ASSERT_TRUE(where) << where.err().message;
    EXPECT_EQ(where->path, (dir_ / "sub/keys.db").lexically_normal());
    ASSERT_TRUE(where->cfg);
    EXPECT_NE(where->cfg->find_model("tiny"), nullptr);
}

TEST_F(key_store_location_test, config_without_keys_store) {
    auto where = locate_key_store("", write_config("").string(), env());
    ASSERT_FALSE(where);
    EXPECT_EQ(where.err().param, "store");
}

TEST_F(key_store_location_test, invalid_config_reports_its_errors) {
    auto where = locate_key_store("", write_config("keys:\n  stor: x.db\n").string(), env());
    ASSERT_FALSE(where);
    EXPECT_NE(where.err().message.find("tiergate.yaml:7: keys.stor: unknown field"), std::string::npos)
        << where.err().message;
}

}  // namespace
}  // namespace tiergate::auth
