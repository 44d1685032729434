#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "auth/key_admin.h"
#include "auth/key_verifier.h"
#include "temp_store.h"

namespace tiergate::auth {
namespace {

using clock = std::chrono::system_clock;
using config::model_tier;

class key_verifier_test : public temp_store_test {
  protected:
    std::unique_ptr<key_store> admin() {
        auto store = key_store::open(path_);
        EXPECT_TRUE(store) << store.err().message;
        return std::move(*store);
    }
    created_key make(key_store & store, create_key_request request, clock::time_point now = clock::now()) {
        auto created = create_key(store, request, now);
        EXPECT_TRUE(created) << created.err().message;
        return *created;
    }
    std::unique_ptr<key_verifier> verifier(std::chrono::milliseconds interval = std::chrono::milliseconds(0)) {
        auto v = key_verifier::open(path_, {interval});
        EXPECT_TRUE(v) << v.err().message;
        return std::move(*v);
    }
};

void expect_401(const result<std::shared_ptr<const key_identity>> & r, const std::string & code,
                const std::string & key) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().kind, error_kind::authentication);
    EXPECT_EQ(http_status(r.err().kind), 401);
    EXPECT_EQ(r.err().code, code);
    if (!key.empty()) {
        EXPECT_EQ(r.err().message.find(key), std::string::npos);
        EXPECT_EQ(to_openai_json(r.err()).find(key), std::string::npos);
        EXPECT_EQ(r.err().message.find(key.substr(3)), std::string::npos);
    }
}

TEST_F(key_verifier_test, valid_key_gives_identity) {
    auto store = admin();
    created_key k = make(*store, {"research", {"tiny"}, {"slm"}, "", ""});
    auto v = verifier();
    EXPECT_EQ(v->key_count(), 1u);
    auto id = v->authenticate("Bearer " + k.key);
    ASSERT_TRUE(id) << id.err().message;
    EXPECT_EQ((*id)->key_id, k.record.id);
    EXPECT_EQ((*id)->team, "research");
    EXPECT_EQ((*id)->scope.models, (std::vector<std::string>{"tiny"}));
    EXPECT_TRUE(v->authenticate("bearer   " + k.key + " "));  // scheme is case-insensitive
    EXPECT_TRUE(v->authenticate_key(k.key));
}

TEST_F(key_verifier_test, missing_and_invalid_keys_are_401) {
    auto store = admin();
    created_key k = make(*store, {"research", {}, {}, "", ""});
    auto v = verifier();
    expect_401(v->authenticate(""), "missing_api_key", "");
    expect_401(v->authenticate("Bearer "), "missing_api_key", "");
    expect_401(v->authenticate("Basic " + k.key), "invalid_api_key", k.key);
    std::string other = *generate_api_key();
    expect_401(v->authenticate("Bearer " + other), "invalid_api_key", other);
    std::string tampered = k.key;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    expect_401(v->authenticate("Bearer " + tampered), "invalid_api_key", tampered);
    expect_401(v->authenticate("Bearer sk-not-ours"), "invalid_api_key", "sk-not-ours");
}

TEST_F(key_verifier_test, expiry) {
    auto store = admin();
    auto t0 = clock::now();
    created_key k = make(*store, {"t", {}, {}, "", "1h"}, t0);
    auto v = verifier();
    EXPECT_TRUE(v->authenticate("Bearer " + k.key, t0 + std::chrono::minutes(59)));
    auto late = v->authenticate("Bearer " + k.key, t0 + std::chrono::minutes(61));
    expect_401(late, "key_expired", k.key);
    EXPECT_NE(late.err().message.find(k.record.id), std::string::npos);
}

TEST_F(key_verifier_test, revoke_is_seen_by_refresh_without_restart) {
    auto store = admin();
    created_key k = make(*store, {"t", {}, {}, "", ""});
    created_key keep = make(*store, {"t", {}, {}, "", ""});
    auto v = verifier();
    ASSERT_TRUE(v->authenticate("Bearer " + k.key));
    auto unchanged = v->refresh();
    ASSERT_TRUE(unchanged);
    EXPECT_FALSE(*unchanged);

    ASSERT_TRUE(revoke_key(*store, k.record.id));
    auto changed = v->refresh();
    ASSERT_TRUE(changed);
    EXPECT_TRUE(*changed);
    expect_401(v->authenticate("Bearer " + k.key), "key_revoked", k.key);
    EXPECT_TRUE(v->authenticate("Bearer " + keep.key));

    created_key added = make(*store, {"t", {}, {}, "", ""});
    ASSERT_TRUE(v->refresh());
    EXPECT_TRUE(v->authenticate("Bearer " + added.key));
}

TEST_F(key_verifier_test, watcher_picks_up_revocation) {
    auto store = admin();
    created_key k = make(*store, {"t", {}, {}, "", ""});
    auto v = verifier(std::chrono::milliseconds(20));
    ASSERT_TRUE(v->authenticate("Bearer " + k.key));
    ASSERT_TRUE(revoke_key(*store, k.record.id));
    bool revoked = false;
    for (int i = 0; i < 250 && !revoked; ++i) {  // at most 5 s
        auto r = v->authenticate("Bearer " + k.key);
        revoked = !r && r.err().code == "key_revoked";
        if (!revoked) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    EXPECT_TRUE(revoked);
}

TEST_F(key_verifier_test, watcher_follows_a_replaced_file) {
    created_key old_key;
    {
        auto store = admin();
        old_key = make(*store, {"t", {}, {}, "", ""});
    }
    auto v = verifier(std::chrono::milliseconds(20));
    ASSERT_TRUE(v->authenticate("Bearer " + old_key.key));
    std::filesystem::path other = dir_ / "new.db";
    created_key new_key;
    {
        auto store = key_store::open(other);
        ASSERT_TRUE(store);
        new_key = make(**store, {"t", {}, {}, "", ""});
    }
    std::filesystem::rename(other, path_);
    bool switched = false;
    for (int i = 0; i < 250 && !switched; ++i) {
        switched = v->authenticate("Bearer " + new_key.key).ok();
        if (!switched) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    EXPECT_TRUE(switched);
    expect_401(v->authenticate("Bearer " + old_key.key), "invalid_api_key", old_key.key);
}

TEST_F(key_verifier_test, scope_violations_are_403) {
    auto store = admin();
    created_key models_only = make(*store, {"t", {"tiny", "mid"}, {}, "", ""});
    created_key tiers_only = make(*store, {"t", {}, {"slm"}, "", ""});
    created_key anything = make(*store, {"t", {}, {}, "", ""});
    auto v = verifier();

    auto m = v->authenticate("Bearer " + models_only.key);
    ASSERT_TRUE(m);
    EXPECT_TRUE(check_scope(**m, "tiny", model_tier::slm));
    EXPECT_TRUE(check_scope(**m, "mid", model_tier::mid));
    auto denied = check_scope(**m, "frontier", model_tier::frontier);
    ASSERT_FALSE(denied);
    EXPECT_EQ(http_status(denied.err().kind), 403);
    EXPECT_EQ(denied.err().code, "model_not_allowed");
    EXPECT_EQ(denied.err().param, "model");
    EXPECT_NE(denied.err().message.find("'frontier'"), std::string::npos);
    EXPECT_EQ(denied.err().message.find(models_only.key), std::string::npos);

    auto t = v->authenticate("Bearer " + tiers_only.key);
    ASSERT_TRUE(t);
    EXPECT_TRUE(check_scope(**t, "any-slm", model_tier::slm));
    auto tier_denied = check_scope(**t, "gpt", model_tier::frontier);
    ASSERT_FALSE(tier_denied);
    EXPECT_EQ(http_status(tier_denied.err().kind), 403);
    EXPECT_EQ(tier_denied.err().code, "tier_not_allowed");

    auto a = v->authenticate("Bearer " + anything.key);
    ASSERT_TRUE(a);
    EXPECT_TRUE(check_scope(**a, "gpt", model_tier::frontier));
}

TEST_F(key_verifier_test, verify_while_revoking_concurrently) {
    auto store = admin();
    std::vector<created_key> keys;
    for (int i = 0; i < 20; ++i) {
        keys.push_back(make(*store, {"t" + std::to_string(i), {}, {}, "", ""}));
    }
    auto v = verifier(std::chrono::milliseconds(1));
    std::atomic<bool> stop{false};
    std::atomic<int64_t> checks{0};
    std::atomic<int64_t> unexpected{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t) {
        readers.emplace_back([&, t] {
            for (int i = 0; i < 200000 && !stop.load(); ++i) {
                const created_key & k = keys[(i + t) % keys.size()];
                auto r = v->authenticate("Bearer " + k.key);
                if (r) {
                    if ((*r)->key_id != k.record.id) {
                        unexpected.fetch_add(1);
                    }
                } else if (r.err().code != "key_revoked") {
                    unexpected.fetch_add(1);
                }
                checks.fetch_add(1);
            }
        });
    }
    for (std::size_t i = 0; i < keys.size(); i += 2) {
        ASSERT_TRUE(revoke_key(*store, keys[i].record.id));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(v->refresh());
    stop = true;
    for (auto & r : readers) {
        r.join();
    }
    EXPECT_EQ(unexpected.load(), 0);
    EXPECT_GT(checks.load(), 0);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        auto r = v->authenticate("Bearer " + keys[i].key);
        EXPECT_EQ(r.ok(), i % 2 == 1) << i;
    }
}

TEST_F(key_verifier_test, verification_takes_microseconds) {
    auto store = admin();
    std::vector<created_key> keys;
    for (int i = 0; i < 100; ++i) {
        keys.push_back(make(*store, {"t", {}, {}, "", ""}));
    }
    auto v = verifier();
    std::string header = "Bearer " + keys[42].key;
    constexpr int n = 20000;
    auto start = std::chrono::steady_clock::now();
    int ok = 0;
    for (int i = 0; i < n; ++i) {
        ok += v->authenticate(header).ok() ? 1 : 0;
    }
    auto per_call = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start) / n;
    EXPECT_EQ(ok, n);
    // A SHA-256 and a hash lookup: about a microsecond; the bound leaves room for sanitizers and a busy machine.
    EXPECT_LT(per_call.count(), 50.0);
}

TEST_F(key_verifier_test, store_that_cannot_be_opened) {
    auto v = key_verifier::open(dir_ / "missing-dir" / "keys.db", {});
    ASSERT_FALSE(v);
    EXPECT_NE(v.err().message.find("missing-dir"), std::string::npos);
}

}  // namespace
}  // namespace tiergate::auth
