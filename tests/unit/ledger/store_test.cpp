#include "ledger/migrations.h"
#include "ledger/sqlite_store.h"
#include "ledger/store.h"
#include "test_records.h"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

using namespace tiergate::ledger;

namespace {

std::string temp_db(const std::string & name) {
    const std::string path = ::testing::TempDir() + "tiergate_" + name + "_" + fixtures::unique_suffix() + ".db";
    std::filesystem::remove(path);
    return path;
}

void check_round_trip(store & s, int64_t base) {
    std::vector<usage_record> batch = {fixtures::make_record("a-" + std::to_string(base), base + 10),
                                       fixtures::make_record("b-" + std::to_string(base), base + 20, true)};
    batch[1].tool_calls = 3;
    batch[1].retrieved = "vs_a:12 vs_a:40";
    batch[0].cache = "semantic";
    batch[1].model_version = "v3";
    auto written = s.write(batch);
    ASSERT_TRUE(written) << written.err().message;
    EXPECT_EQ(*written, 2u);
    // A retried batch does not duplicate records.
    ASSERT_TRUE(s.write(batch));
    auto rows = s.read(base, base + 1000, true);
    ASSERT_TRUE(rows) << rows.err().message;
    ASSERT_EQ(rows->size(), 2u);
    const auto & b = (*rows)[1];
    EXPECT_EQ(b.request_id, "b-" + std::to_string(base));
    EXPECT_EQ(b.time_ms, base + 20);
    EXPECT_EQ(b.key_id, "key-1");
    EXPECT_EQ(b.team, "team-a");
    EXPECT_EQ(b.route_reason, "rules: short prompt");
    EXPECT_EQ(b.final_tier, tier::frontier);
    EXPECT_TRUE(b.escalated);
    EXPECT_EQ(b.input_tokens, 200);
    EXPECT_DOUBLE_EQ(b.cost_usd, 0.00075);
    EXPECT_DOUBLE_EQ(b.ttft_ms, 440);
    EXPECT_EQ(b.pii_counts.at("email"), 2);
    EXPECT_EQ(b.pii_counts.at("iban"), 1);
    EXPECT_EQ(b.tool_calls, 3);
    EXPECT_EQ((*rows)[0].tool_calls, 0);
    EXPECT_EQ(b.retrieved, "vs_a:12 vs_a:40");
    EXPECT_EQ((*rows)[0].retrieved, "");
    EXPECT_EQ((*rows)[0].cache, "semantic");
    EXPECT_EQ(b.cache, "");
    EXPECT_EQ(b.model_version, "v3");
    EXPECT_EQ((*rows)[0].model_version, "");
    ASSERT_EQ(b.attempts.size(), 2u);
    EXPECT_EQ(b.attempts[1].kind, attempt_kind::escalation);
    EXPECT_EQ(b.attempts[1].tier_used, tier::frontier);
    EXPECT_EQ(b.attempts[1].output_tokens, 50);
    std::vector<std::string> scanned;
    auto n = s.scan(base, base + 1000, [&](const usage_record & r) { scanned.push_back(r.request_id); });
    ASSERT_TRUE(n) << n.err().message;
    EXPECT_EQ(*n, 2);
    EXPECT_EQ(scanned, (std::vector<std::string>{"a-" + std::to_string(base), "b-" + std::to_string(base)}));
    auto without = s.read(base, base + 15, false);
    ASSERT_TRUE(without);
    ASSERT_EQ(without->size(), 1u);
    EXPECT_TRUE((*without)[0].attempts.empty());
}

}  // namespace

TEST(sqlite_store, round_trip_with_attempts_and_pii_counts) {
    const auto path = temp_db("roundtrip");
    auto s = open_store("sqlite:" + path);
    ASSERT_TRUE(s) << s.err().message;
    EXPECT_EQ((*s)->backend(), "sqlite");
    check_round_trip(**s, 1'700'000'000'000);
    EXPECT_EQ(*(*s)->count(), 2);
}

TEST(sqlite_store, uses_wal_mode) {
    const auto path = temp_db("wal");
    ASSERT_TRUE(open_store(path));
    sqlite3 * db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt * st = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST(sqlite_store, migrations_are_idempotent) {
    const auto path = temp_db("migrate");
    {
        auto s = open_store(path);
        ASSERT_TRUE(s) << s.err().message;
        EXPECT_EQ(*(*s)->schema_version(), latest_schema_version());
        ASSERT_TRUE((*s)->write({fixtures::make_record("kept", 5)}));
    }
    for (int i = 0; i < 3; ++i) {
        auto s = open_store(path);
        ASSERT_TRUE(s) << s.err().message;
        EXPECT_EQ(*(*s)->schema_version(), latest_schema_version());
        EXPECT_EQ(*(*s)->count(), 1);
    }
    sqlite3 * db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt * st = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*), MIN(version), MAX(version) FROM schema_version", -1, &st, nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), static_cast<int>(ledger_migrations().size()));
    EXPECT_EQ(sqlite3_column_int(st, 1), 1);
    EXPECT_EQ(sqlite3_column_int(st, 2), latest_schema_version());
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST(ledger_migrations, are_ordered_and_cover_both_dialects) {
    int previous = 0;
    for (const auto & m : ledger_migrations()) {
        EXPECT_EQ(m.version, previous + 1);
        EXPECT_FALSE(m.sqlite_sql.empty());
        EXPECT_FALSE(m.postgresql_sql.empty());
        previous = m.version;
    }
}

TEST(open_store, rejects_bad_urls) {
    EXPECT_FALSE(open_store(""));
    auto bad = open_store("mysql://localhost/db");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.err().param, "db");
    EXPECT_FALSE(open_store("/nonexistent-dir-for-tiergate/x/ledger.db"));
    EXPECT_TRUE(open_store(":memory:"));
}

TEST(pg_store, round_trip_and_idempotent_migrations) {
    const std::string url = fixtures::env_or_empty("TIERGATE_TEST_PG_URL");
    if (url.empty()) {
        GTEST_SKIP() << "TIERGATE_TEST_PG_URL is not set (scripts/services.sh starts a PostgreSQL)";
    }
    auto first = open_store(url);
    ASSERT_TRUE(first) << first.err().message;
    EXPECT_EQ((*first)->backend(), "postgresql");
    EXPECT_EQ(*(*first)->schema_version(), latest_schema_version());
    auto second = open_store(url);
    ASSERT_TRUE(second) << second.err().message;
    EXPECT_EQ(*(*second)->schema_version(), latest_schema_version());
    // A period no other run uses.
    const int64_t base = 1'000'000'000'000 + static_cast<int64_t>(std::hash<std::string>{}(fixtures::unique_suffix()) % 1'000'000'000) * 1000;
    check_round_trip(**second, base);
}
