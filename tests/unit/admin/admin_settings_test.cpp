#include <gtest/gtest.h>

#include "admin/admin_settings.h"
#include "config/load_config.h"

namespace tiergate::admin {
namespace {

const char * models =
    "models:\n  - { name: m, provider: openai_compatible, tier: mid, endpoint: \"http://127.0.0.1:9/v1\", price: { input_per_mtok: 0, output_per_mtok: 0 } }\n";

admin_settings read(const std::string & yaml, config::config_errors & errors) {
    auto loaded = config::load_config_text(std::string(models) + yaml, "t.yaml", ".");
    EXPECT_TRUE(loaded.ok()) << loaded.errors_text();
    return read_admin_settings(*loaded.value, errors);
}

TEST(admin_settings, the_tier_target_is_read_as_shares) {
    config::config_errors errors("t.yaml");
    auto s = read("admin: { tier_target: { slm: 80, mid: 15, frontier: 5 } }\n", errors);
    EXPECT_TRUE(errors.empty()) << errors.to_string();
    EXPECT_DOUBLE_EQ(s.tier_target[0], 0.8);
    EXPECT_DOUBLE_EQ(s.tier_target[2], 0.05);
    config::config_errors none("t.yaml");
    EXPECT_DOUBLE_EQ(read("", none).tier_target[0], 0.7);
}

TEST(admin_settings, a_bad_target_names_its_line) {
    for (const char * bad : {"admin: { tier_target: { slm: 80, mid: 15, frontier: 15 } }\n",
                             "admin: { tier_target: { slm: 110, mid: -5, frontier: -5 } }\n",
                             "admin: { tier_target: { slm: 100 } }\n", "admin: { colour: blue }\n"}) {
        config::config_errors errors("t.yaml");
        auto s = read(bad, errors);
        ASSERT_FALSE(errors.empty()) << bad;
        EXPECT_EQ(errors.list().front().pos.line, 3) << bad;
        EXPECT_DOUBLE_EQ(s.tier_target[0], 0.7) << bad;
    }
}

}  // namespace
}  // namespace tiergate::admin
