#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <sqlite3.h>

#include "auth/key_admin.h"
#include "auth/key_verifier.h"
#include "auth/key_time.h"
#include "config/load_config.h"
#include "temp_store.h"

namespace tiergate::auth {
namespace {

using clock = std::chrono::system_clock;

std::string read_bytes(const std::filesystem::path & path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class key_admin : public temp_store_test {};

TEST_F(key_admin, create_stores_hash_and_scope) {
    auto store = key_store::open(path_);
    ASSERT_TRUE(store) << store.err().message;
    create_key_request request{"research", {"tiny", "mid"}, {"slm", "mid", "slm"}, "", "30d"};
    auto now = clock::now();
    auto created = create_key(**store, request, now);
    ASSERT_TRUE(created) << created.err().message;
    EXPECT_TRUE(looks_like_api_key(created->key));
    EXPECT_EQ(created->record.hash, hash_api_key(created->key));
    EXPECT_EQ(created->record.prefix, created->key.substr(0, key_prefix_length));

    auto records = (*store)->load_all();
    ASSERT_TRUE(records);
    ASSERT_EQ(records->size(), 1u);
    const key_record & r = records->front();
    EXPECT_EQ(r.id, created->record.id);
    EXPECT_EQ(r.team, "research");
    EXPECT_EQ(r.scope.models, (std::vector<std::string>{"tiny", "mid"}));
    EXPECT_EQ(r.scope.tiers, (std::vector<config::model_tier>{config::model_tier::slm, config::model_tier::mid}));
    EXPECT_EQ(r.hash, hash_api_key(created->key));
    ASSERT_TRUE(r.expires_at);
    EXPECT_EQ(*r.expires_at, unix_seconds(now) + 30 * 86400);
    EXPECT_FALSE(r.revoked_at);
}

TEST_F(key_admin, store_file_never_holds_the_key) {
    std::vector<std::string> keys;
    {
        auto store = key_store::open(path_);
        ASSERT_TRUE(store);
        for (int i = 0; i < 5; ++i) {
            auto created = create_key(**store, {"team" + std::to_string(i), {}, {}, "", ""});
            ASSERT_TRUE(created);
            keys.push_back(created->key);
        }
        ASSERT_TRUE(revoke_key(**store, (*(*store)->load_all())[0].id));
    }
    std::string bytes;
    for (const auto & entry : std::filesystem::directory_iterator(dir_)) {
        bytes += read_bytes(entry.path());  // the database and any journal beside it
    }
    ASSERT_FALSE(bytes.empty());
    for (const auto & key : keys) {
        EXPECT_EQ(bytes.find(key), std::string::npos);
        EXPECT_EQ(bytes.find(key.substr(3)), std::string::npos);     // the random part alone
        EXPECT_EQ(bytes.find(key.substr(20)), std::string::npos);    // or its tail
        auto h = hash_api_key(key);
        EXPECT_NE(bytes.find(std::string(h.begin(), h.end())), std::string::npos);  // the hash is there
    }
    EXPECT_EQ(std::filesystem::status(path_).permissions() & std::filesystem::perms::others_read,
              std::filesystem::perms::none);
}

TEST_F(key_admin, list_shows_everything_but_keys) {
    auto store = key_store::open(path_);
    ASSERT_TRUE(store);
    auto now = clock::now();
    auto a = create_key(**store, {"alpha", {"tiny"}, {"slm"}, "2099-01-01", ""}, now);
    auto b = create_key(**store, {"beta", {}, {}, "", ""}, now);
    ASSERT_TRUE(a && b);
    ASSERT_TRUE(revoke_key(**store, b->record.id, now));
    auto records = (*store)->load_all();
    ASSERT_TRUE(records);
    std::string table = format_key_list(*records, now);
    EXPECT_NE(table.find("ID"), std::string::npos);
    EXPECT_NE(table.find(a->record.id), std::string::npos);
    EXPECT_NE(table.find(b->record.id), std::string::npos);
    EXPECT_NE(table.find(a->record.prefix + "..."), std::string::npos);
    EXPECT_NE(table.find("alpha"), std::string::npos);
    EXPECT_NE(table.find("2099-01-01T00:00:00Z"), std::string::npos);
    EXPECT_NE(table.find("revoked"), std::string::npos);
    EXPECT_NE(table.find("never"), std::string::npos);
    EXPECT_EQ(table.find(a->key), std::string::npos);
    EXPECT_EQ(table.find(b->key), std::string::npos);
    EXPECT_EQ(table.find(a->key.substr(0, key_prefix_length + 1)), std::string::npos);
}

TEST_F(key_admin, list_marks_expired_keys) {
    auto store = key_store::open(path_);
    ASSERT_TRUE(store);
    auto now = clock::now();
    auto a = create_key(**store, {"alpha", {}, {}, "", "1h"}, now);
    ASSERT_TRUE(a);
    std::string later = format_key_list(*(*store)->load_all(), now + std::chrono::hours(2));
    EXPECT_NE(later.find("expired"), std::string::npos);
    std::string before = format_key_list(*(*store)->load_all(), now);
    EXPECT_NE(before.find("active"), std::string::npos);
}

TEST_F(key_admin, revoke_unknown_id_is_not_found) {
    auto store = key_store::open(path_);
    ASSERT_TRUE(store);
    auto result = revoke_key(**store, "key_0000000000000000");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.err().kind, error_kind::not_found);
}

TEST_F(key_admin, request_errors) {
    auto store = key_store::open(path_);
    ASSERT_TRUE(store);
    auto now = clock::now();
    struct bad_case {
        create_key_request request;
        std::string param;
    };
    std::vector<bad_case> cases = {
        {{"", {}, {}, "", ""}, "team"},
        {{"t", {}, {"huge"}, "", ""}, "tiers"},
        {{"t", {}, {}, "2020-01-01", ""}, "expires"},
        {{"t", {}, {}, "2099-01-01", "30d"}, "expires"},
        {{"t", {}, {}, "soon", ""}, "expires"},
        {{"t", {}, {}, "", "30x"}, "ttl"},
    };
    for (const auto & c : cases) {
        auto created = create_key(**store, c.request, now);
        ASSERT_FALSE(created) << c.param;
        EXPECT_EQ(created.err().param, c.param);
        EXPECT_EQ(created.err().kind, error_kind::invalid_request);
    }
    EXPECT_TRUE((*store)->load_all()->empty());
}

TEST_F(key_admin, models_checked_against_config_and_aliases_resolved) {
    const char * yaml = R"(models:
  - name: tiny
    aliases: [small]
    provider: local
    tier: slm
    path: stories260K.gguf
)";
    auto loaded = config::load_config_text(
        yaml, "k.yaml", ".", config::fixed_env({{"TIERGATE_MODEL_DIR", std::string(TIERGATE_SHARED_DIR) + "/models"}}));
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    auto store = key_store::open(path_);
    ASSERT_TRUE(store);
    auto created = create_key(**store, {"t", {"small"}, {}, "", ""}, clock::now(), &*loaded.value);
    ASSERT_TRUE(created) << created.err().message;
    EXPECT_EQ(created->record.scope.models, (std::vector<std::string>{"tiny"}));
    auto unknown = create_key(**store, {"t", {"gpt-9"}, {}, "", ""}, clock::now(), &*loaded.value);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.err().param, "models");
}

TEST(split_list, trims_and_drops_empty_items) {
    EXPECT_EQ(split_list("a, b,,c "), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_TRUE(split_list("").empty());
}

}  // namespace
}  // namespace tiergate::auth

namespace tiergate::auth {
namespace {

class key_roles : public temp_store_test {};

TEST_F(key_roles, a_role_is_stored_and_reaches_the_verifier) {
    auto store = key_store::open(path_);
    ASSERT_TRUE(store);
    create_key_request request;
    request.team = "ops";
    request.role = key_role::viewer;
    auto created = create_key(**store, request);
    ASSERT_TRUE(created) << created.err().message;
    EXPECT_EQ((*store)->load_all()->front().role, key_role::viewer);
    auto verifier = key_verifier::open(path_, {std::chrono::milliseconds(0)});
    ASSERT_TRUE(verifier);
    auto who = (*verifier)->authenticate_key(created->key);
    ASSERT_TRUE(who);
    EXPECT_EQ((*who)->role, key_role::viewer);
    EXPECT_NE(format_key_list(*(*store)->load_all()).find("viewer"), std::string::npos);
    EXPECT_EQ(*parse_key_role("admin"), key_role::admin);
    EXPECT_FALSE(parse_key_role("root"));
}

TEST_F(key_roles, change_key_rescopes_and_keeps_what_it_does_not_name) {
    auto store = key_store::open(path_);
    ASSERT_TRUE(store);
    auto created = create_key(**store, {"ops", {"a"}, {"slm"}, "", ""});
    ASSERT_TRUE(created);
    change_key_request change;
    change.tiers = std::vector<std::string>{"mid", "frontier"};
    change.role = key_role::admin;
    auto changed = change_key(**store, created->record.id, change);
    ASSERT_TRUE(changed) << changed.err().message;
    const auto stored = (*store)->load_all()->front();
    EXPECT_EQ(stored.team, "ops");
    EXPECT_EQ(stored.scope.models, (std::vector<std::string>{"a"}));
    EXPECT_EQ(stored.scope.tiers, (std::vector<config::model_tier>{config::model_tier::mid, config::model_tier::frontier}));
    EXPECT_EQ(stored.role, key_role::admin);
    EXPECT_EQ(stored.hash, created->record.hash);
    change_key_request bad;
    bad.tiers = std::vector<std::string>{"gold"};
    EXPECT_EQ(change_key(**store, created->record.id, bad).err().param, "tiers");
    bad = {};
    bad.team = "";
    EXPECT_EQ(change_key(**store, created->record.id, bad).err().param, "team");
    EXPECT_EQ(change_key(**store, "key_missing", change).err().kind, error_kind::not_found);
}

TEST_F(key_roles, a_store_from_before_roles_opens_with_every_key_a_user_key) {
    {
        sqlite3 * db = nullptr;
        ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
        const char * old = "CREATE TABLE api_keys (id TEXT PRIMARY KEY, prefix TEXT NOT NULL, hash BLOB NOT NULL UNIQUE, "
                           "team TEXT NOT NULL, models TEXT NOT NULL, tiers TEXT NOT NULL, created_at INTEGER NOT NULL, "
                           "expires_at INTEGER, revoked_at INTEGER);"
                           "INSERT INTO api_keys VALUES ('key_old', 'tg-old', zeroblob(32), 'ops', '[]', '[]', 1, NULL, NULL);";
        ASSERT_EQ(sqlite3_exec(db, old, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
    }
    auto store = key_store::open(path_);
    ASSERT_TRUE(store) << store.err().message;
    auto records = (*store)->load_all();
    ASSERT_TRUE(records) << records.err().message;
    ASSERT_EQ(records->size(), 1u);
    EXPECT_EQ(records->front().role, key_role::user);
    EXPECT_TRUE(create_key(**store, {"ops", {}, {}, "", "", key_role::admin}));
    EXPECT_EQ((*store)->load_all()->back().role, key_role::admin);
}

}  // namespace
}  // namespace tiergate::auth
