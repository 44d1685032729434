#include "obs/log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace tiergate::obs;

TEST(log, writes_at_the_configured_level_to_a_file) {
    const std::string path = ::testing::TempDir() + "tiergate_log_test.log";
    std::remove(path.c_str());
    ASSERT_TRUE(setup_logging({"warn", log_format::text, path}));
    TIERGATE_LOG_INFO("hidden {}", 1);
    TIERGATE_LOG_WARN("shown {}", 2);
    logger().flush();
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    EXPECT_EQ(s.str().find("hidden 1"), std::string::npos);
    EXPECT_NE(s.str().find("shown 2"), std::string::npos);
    EXPECT_FALSE(setup_logging({"loud", log_format::json, ""}));
    EXPECT_EQ(logger().level(), spdlog::level::info);
    setup_logging({});
}
