#include <gtest/gtest.h>

#include "auth/keyless.h"

namespace tiergate::auth {
namespace {

TEST(keyless, only_loopback_without_keys) {
    EXPECT_TRUE(keyless_allowed("127.0.0.1", false));
    EXPECT_TRUE(keyless_allowed("::1", false));
    EXPECT_TRUE(keyless_allowed("[::1]", false));
    EXPECT_FALSE(keyless_allowed("0.0.0.0", false));
    EXPECT_FALSE(keyless_allowed("::", false));
    EXPECT_FALSE(keyless_allowed("192.168.1.10", false));
    EXPECT_FALSE(keyless_allowed("localhost", false));  // a name may resolve elsewhere
    EXPECT_FALSE(keyless_allowed("", false));
}

TEST(keyless, never_when_keys_are_configured) {
    EXPECT_FALSE(keyless_allowed("127.0.0.1", true));
    EXPECT_FALSE(keyless_allowed("0.0.0.0", true));
}

TEST(keyless, startup_policy) {
    config::config cfg;
    cfg.source = "t.yaml";
    EXPECT_TRUE(check_key_policy(cfg));  // default host 127.0.0.1
    cfg.server.host = "0.0.0.0";
    auto refused = check_key_policy(cfg);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.err().message.find("server.host is 0.0.0.0"), std::string::npos);
    EXPECT_EQ(refused.err().param, "keys.store");
    cfg.keys.store = "/tmp/keys.db";
    EXPECT_TRUE(check_key_policy(cfg));
}

}  // namespace
}  // namespace tiergate::auth
