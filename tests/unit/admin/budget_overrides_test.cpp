#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "admin/budget_overrides.h"
#include "admin/budget_view.h"
#include "auth/key_admin.h"
#include "ledger/budget_memory_counter.h"

namespace tiergate::admin {
namespace {

class admin_budgets : public testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tiergate_admin_" + std::to_string(::getpid()) + "_" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(admin_budgets, overrides_survive_reopening_and_replace_the_configs_limits) {
    ledger::limit_set limits;
    limits.usd_per_day = 2.5;
    limits.requests_per_minute = 3;
    limits.on_usd_exhausted = ledger::exhaust_action::degrade_to_slm;
    {
        auto store = budget_overrides::open(dir_ / "keys.db");
        ASSERT_TRUE(store) << store.err().message;
        ASSERT_TRUE((*store)->put(ledger::limit_scope::team, "ops", limits));
        ASSERT_TRUE((*store)->put(ledger::limit_scope::key, "key_1", limits));
        EXPECT_TRUE(*(*store)->remove(ledger::limit_scope::key, "key_1"));
        EXPECT_FALSE(*(*store)->remove(ledger::limit_scope::key, "key_1"));
    }
    auto store = budget_overrides::open(dir_ / "keys.db");
    ASSERT_TRUE(store);
    auto loaded = (*store)->load();
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->size(), 1u);
    const auto & got = loaded->at({ledger::limit_scope::team, "ops"});
    EXPECT_EQ(got.usd_per_day, 2.5);
    EXPECT_EQ(got.requests_per_minute, 3);
    EXPECT_FALSE(got.tokens_per_minute);
    EXPECT_EQ(got.on_usd_exhausted, ledger::exhaust_action::degrade_to_slm);

    ledger::budget_config base;
    base.teams["ops"].usd_per_month = 100;
    base.teams["research"].usd_per_day = 1;
    const auto merged = merge_overrides(base, *loaded);
    EXPECT_FALSE(merged.teams.at("ops").usd_per_month);  // replaced whole, not merged field by field
    EXPECT_EQ(merged.teams.at("ops").usd_per_day, 2.5);
    EXPECT_EQ(merged.teams.at("research").usd_per_day, 1);
}

TEST_F(admin_budgets, limit_bodies_are_checked) {
    auto ok = limits_from_json({{"usd_per_month", 10}, {"tokens_per_minute", 5000}, {"usd_per_day", nullptr}});
    ASSERT_TRUE(ok) << ok.err().message;
    EXPECT_EQ(ok->usd_per_month, 10);
    EXPECT_EQ(ok->tokens_per_minute, 5000);
    EXPECT_FALSE(ok->usd_per_day);
    EXPECT_EQ(limits_to_json(*ok)["tokens_per_minute"], 5000);
    auto param = [](const nlohmann::json & body) {
        auto r = limits_from_json(body);
        EXPECT_FALSE(r) << body.dump();
        return r ? std::string("accepted") : r.err().param;
    };
    EXPECT_EQ(param({{"usd_per_day", -1}}), "usd_per_day");
    EXPECT_EQ(param({{"usd_per_day", "5"}}), "usd_per_day");
    EXPECT_EQ(param({{"requests_per_minute", 2.5}}), "requests_per_minute");
    EXPECT_EQ(param({{"tokens_per_minute", 1e13}}), "tokens_per_minute");
    EXPECT_EQ(param({{"usd_per_week", 1}}), "usd_per_week");
    EXPECT_EQ(param({{"usd_per_day", 1}, {"on_usd_exhausted", "shrug"}}), "on_usd_exhausted");
    EXPECT_EQ(param(nlohmann::json::object()), "");
    EXPECT_EQ(param(nlohmann::json::array()), "");
}

TEST_F(admin_budgets, the_view_lists_every_limit_in_force_with_its_use) {
    ledger::memory_counter_backend counters;
    ledger::budget_config base;
    base.teams["ops"].usd_per_day = 1.0;
    base.default_key = ledger::limit_set{};
    base.default_key->requests_per_minute = 10;
    ledger::budget_enforcer enforcer(base, counters);
    constexpr int64_t now = 1'796'637'630'000;
    auto d = enforcer.reserve({"key_a", "ops", 0.25, 100, now});
    ASSERT_TRUE(d);
    ASSERT_EQ(d->verdict, ledger::budget_verdict::allowed);
    ASSERT_TRUE(enforcer.settle(d->held, 0.2, 100, now));

    override_map overrides;
    overrides[{ledger::limit_scope::team, "api-team"}].usd_per_month = 50;
    enforcer.set_config(merge_overrides(base, overrides));
    auth::key_record a, revoked;
    a.id = "key_a";
    a.team = "ops";
    revoked.id = "key_gone";
    revoked.team = "ops";
    revoked.revoked_at = 1;
    auto view = budgets_view(enforcer, base, overrides, {a, revoked}, now);
    ASSERT_TRUE(view) << view.err().message;
    std::map<std::string, nlohmann::json> rows;
    for (const auto & row : (*view)["limits"]) {
        rows[row["scope"].get<std::string>() + ":" + row["id"].get<std::string>() + ":" + row["kind"].get<std::string>()] = row;
    }
    ASSERT_EQ(rows.size(), 3u) << view->dump();
    const auto & ops = rows.at("team:ops:usd_per_day");
    EXPECT_EQ(ops["source"], "config");
    EXPECT_DOUBLE_EQ(ops["used"].get<double>(), 0.2);
    EXPECT_DOUBLE_EQ(ops["remaining"].get<double>(), 0.8);
    EXPECT_EQ(ops["reset_at_ms"], 1'796'688'000'000);  // the next UTC midnight
    const auto & key = rows.at("key:key_a:requests_per_minute");
    EXPECT_EQ(key["source"], "default");
    EXPECT_DOUBLE_EQ(key["used"].get<double>(), 1);
    EXPECT_EQ(rows.at("team:api-team:usd_per_month")["source"], "api");
}

}  // namespace
}  // namespace tiergate::admin
