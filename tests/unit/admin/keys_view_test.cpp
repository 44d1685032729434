#include <gtest/gtest.h>

#include "admin/keys_view.h"

namespace tiergate::admin {
namespace {

TEST(admin_keys_view, a_key_shows_everything_but_its_secret) {
    auth::key_record r;
    r.id = "key_0123456789abcdef";
    r.prefix = "tg-abcdefg";
    r.hash.fill(7);
    r.team = "<script>alert(1)</script>";
    r.role = auth::key_role::viewer;
    r.scope.models = {"small"};
    r.scope.tiers = {config::model_tier::slm};
    r.created_at = 1000;
    r.expires_at = 2000;
    const auto active = key_json(r, 1'500'000, 1'400'000);
    EXPECT_EQ(active["status"], "active");
    EXPECT_EQ(active["role"], "viewer");
    EXPECT_EQ(active["team"], "<script>alert(1)</script>");  // escaping is the page's job; JSON keeps the text
    EXPECT_EQ(active["created_ms"], 1'000'000);
    EXPECT_EQ(active["expires_ms"], 2'000'000);
    EXPECT_EQ(active["last_used_ms"], 1'400'000);
    EXPECT_EQ(active["tiers"][0], "slm");
    EXPECT_FALSE(active.contains("hash"));
    EXPECT_FALSE(active.contains("key"));
    EXPECT_EQ(key_json(r, 2'000'000, std::nullopt)["status"], "expired");
    r.revoked_at = 1200;
    EXPECT_EQ(key_json(r, 1'500'000, std::nullopt)["status"], "revoked");
    EXPECT_TRUE(key_json(r, 1'500'000, std::nullopt)["last_used_ms"].is_null());
}

TEST(admin_keys_view, create_and_change_bodies_are_checked) {
    auto created = create_request_from_json(
        {{"team", "ops"}, {"role", "admin"}, {"models", {"a", "b"}}, {"tiers", {"slm"}}, {"ttl", "30d"}});
    ASSERT_TRUE(created) << created.err().message;
    EXPECT_EQ(created->team, "ops");
    EXPECT_EQ(created->role, auth::key_role::admin);
    EXPECT_EQ(created->models.size(), 2u);
    EXPECT_EQ(created->ttl, "30d");
    auto param = [](result<auth::create_key_request> r) { return r ? std::string("accepted") : r.err().param; };
    EXPECT_EQ(param(create_request_from_json({{"team", 5}})), "team");
    EXPECT_EQ(param(create_request_from_json({{"team", "x"}, {"role", "root"}})), "role");
    EXPECT_EQ(param(create_request_from_json({{"team", "x"}, {"models", "a,b"}})), "models");
    EXPECT_EQ(param(create_request_from_json({{"team", "x"}, {"models", {1}}})), "models");
    EXPECT_EQ(param(create_request_from_json({{"team", std::string(201, 'x')}})), "team");
    EXPECT_EQ(param(create_request_from_json({{"team", "x"}, {"secret", "y"}})), "secret");
    EXPECT_FALSE(create_request_from_json(nlohmann::json::array()));

    auto change = change_request_from_json({{"tiers", nlohmann::json::array()}, {"role", "user"}});
    ASSERT_TRUE(change);
    EXPECT_FALSE(change->team);
    ASSERT_TRUE(change->tiers);
    EXPECT_TRUE(change->tiers->empty());
    EXPECT_EQ(change->role, auth::key_role::user);
    EXPECT_FALSE(change_request_from_json(nlohmann::json::object()));
    EXPECT_FALSE(change_request_from_json({{"expires", "2030-01-01"}}));
}

}  // namespace
}  // namespace tiergate::admin
