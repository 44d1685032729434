#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "admin/admin_access.h"
#include "auth/key_admin.h"

namespace tiergate::admin {
namespace {

class admin_access : public testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("tiergate_admin_access_" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        auto store = auth::key_store::open(dir_ / "keys.db");
        ASSERT_TRUE(store);
        for (auto role : {auth::key_role::user, auth::key_role::viewer, auth::key_role::admin}) {
            auth::create_key_request request;
            request.team = "ops";
            request.role = role;
            auto created = auth::create_key(**store, request);
            ASSERT_TRUE(created) << created.err().message;
            keys_[static_cast<int>(role)] = created->key;
        }
        auto verifier = auth::key_verifier::open(dir_ / "keys.db", {std::chrono::milliseconds(0)});
        ASSERT_TRUE(verifier);
        verifier_ = std::move(*verifier);
    }
    void TearDown() override {
        verifier_.reset();
        std::filesystem::remove_all(dir_);
    }
    api::http_request request(auth::key_role role, const char * method = "GET") const {
        api::http_request r;
        r.method = method;
        r.path = "/admin/v1/overview";
        r.target = r.path;
        r.headers["authorization"] = "Bearer " + keys_[static_cast<int>(role)];
        r.headers["host"] = "127.0.0.1:8080";
        return r;
    }
    std::filesystem::path dir_;
    std::string keys_[3];
    std::unique_ptr<auth::key_verifier> verifier_;
};

TEST_F(admin_access, viewers_read_admins_change_users_are_refused) {
    auto viewer = authorize(request(auth::key_role::viewer), verifier_.get(), false);
    ASSERT_TRUE(viewer) << viewer.err().message;
    EXPECT_EQ(viewer->role, "viewer");
    EXPECT_FALSE(viewer->can_change);
    EXPECT_EQ(viewer->team, "ops");
    auto viewer_change = authorize(request(auth::key_role::viewer, "POST"), verifier_.get(), true);
    ASSERT_FALSE(viewer_change);
    EXPECT_EQ(viewer_change.err().kind, error_kind::permission);
    auto admin = authorize(request(auth::key_role::admin, "POST"), verifier_.get(), true);
    ASSERT_TRUE(admin) << admin.err().message;
    EXPECT_TRUE(admin->can_change);
    auto user = authorize(request(auth::key_role::user), verifier_.get(), false);
    ASSERT_FALSE(user);
    EXPECT_EQ(user.err().kind, error_kind::permission);
}

TEST_F(admin_access, no_key_or_a_bad_one_is_401_and_x_api_key_works) {
    auto r = request(auth::key_role::admin);
    r.headers.erase("authorization");
    auto none = authorize(r, verifier_.get(), false);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.err().kind, error_kind::authentication);
    r.headers["authorization"] = "Bearer tg-not-a-key";
    EXPECT_EQ(authorize(r, verifier_.get(), false).err().kind, error_kind::authentication);
    r.headers.erase("authorization");
    r.headers["x-api-key"] = keys_[static_cast<int>(auth::key_role::admin)];
    EXPECT_TRUE(authorize(r, verifier_.get(), false));
}

TEST_F(admin_access, a_change_from_another_origin_is_refused_even_with_an_admin_key) {
    auto r = request(auth::key_role::admin, "POST");
    r.headers["origin"] = "http://127.0.0.1:8080";
    EXPECT_TRUE(authorize(r, verifier_.get(), true));
    r.headers["origin"] = "http://evil.example";
    auto refused = authorize(r, verifier_.get(), true);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.err().kind, error_kind::permission);
    r.method = "GET";
    EXPECT_TRUE(authorize(r, verifier_.get(), false));  // a read answers no other origin anyway (no CORS)
}

TEST_F(admin_access, keyless_reads_and_never_changes) {
    auto r = request(auth::key_role::admin);
    r.headers.clear();
    auto read = authorize(r, nullptr, false);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->role, "keyless");
    EXPECT_FALSE(read->can_change);
    auto change = authorize(r, nullptr, true);
    ASSERT_FALSE(change);
    EXPECT_EQ(change.err().kind, error_kind::permission);
    for (const char * host : {"localhost:8080", "127.0.0.1", "[::1]:8080"}) {
        r.headers["host"] = host;
        EXPECT_TRUE(authorize(r, nullptr, false)) << host;
    }
    // a page of another site whose name now resolves to 127.0.0.1 (DNS rebinding)
    for (const char * host : {"evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example"}) {
        r.headers["host"] = host;
        auto rebound = authorize(r, nullptr, false);
        ASSERT_FALSE(rebound) << host;
        EXPECT_EQ(rebound.err().kind, error_kind::permission);
    }
}

}  // namespace
}  // namespace tiergate::admin
