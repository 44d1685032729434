#include "ledger/migrations.h"
#include "ledger/sqlite_store.h"
#include "ledger/store.h"
#include "test_records.h"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <map>

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
    EXPECT_EQ(b.attempts[1].deployment, "east");
    EXPECT_EQ(b.attempts[0].deployment, "");
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

// Sums per bucket and group, and pages newest first, answered by the database.
void check_totals_and_newest(store & s, int64_t base) {
    std::vector<usage_record> batch;
    for (int i = 0; i < 6; ++i) {
        auto r = fixtures::make_record("t" + std::to_string(i) + "-" + std::to_string(base), base + 1000 * i, i % 3 == 2);
        r.team = i < 4 ? "team-a" : "team-b";
        r.status.http_status = i == 5 ? 502 : 200;
        r.status.error_code = i == 5 ? "upstream" : "";
        r.cache = i == 1 ? "exact" : "";
        batch.push_back(r);
    }
    batch[4].model.clear();  // refused before any model: no tier
    ASSERT_TRUE(s.write(batch));
    auto by_tier = s.totals({base, base + 6000, 0, 0, usage_group::tier});
    ASSERT_TRUE(by_tier) << by_tier.err().message;
    std::map<std::string, usage_totals> tiers;
    for (const auto & t : *by_tier) {
        EXPECT_EQ(t.bucket, 0);
        tiers[t.group] = t;
    }
    ASSERT_EQ(tiers.size(), 3u);
    EXPECT_EQ(tiers.at("").requests, 1);
    EXPECT_EQ(tiers.at("slm").requests, 3);
    EXPECT_EQ(tiers.at("frontier").requests, 2);
    EXPECT_EQ(tiers.at("frontier").escalated, 2);
    EXPECT_NEAR(tiers.at("frontier").cost_usd, 2 * 0.00075, 1e-12);
    EXPECT_EQ(tiers.at("slm").cache_hits, 1);
    EXPECT_EQ(tiers.at("slm").errors + tiers.at("frontier").errors + tiers.at("").errors, 1);
    EXPECT_EQ(tiers.at("slm").input_tokens, 300);
    EXPECT_EQ(tiers.at("slm").last_ms, base + 3000);
    EXPECT_EQ(tiers.at("frontier").last_ms, base + 5000);

    // two-second buckets by team, from one second before the first record
    auto series = s.totals({base, base + 6000, base - 1000, 2000, usage_group::team});
    ASSERT_TRUE(series) << series.err().message;
    std::map<std::pair<int64_t, std::string>, int64_t> cells;
    for (const auto & t : *series) {
        cells[{t.bucket, t.group}] = t.requests;
    }
    const std::map<std::pair<int64_t, std::string>, int64_t> expected = {
        {{0, "team-a"}, 1}, {{1, "team-a"}, 2}, {{2, "team-a"}, 1}, {{2, "team-b"}, 1}, {{3, "team-b"}, 1}};
    EXPECT_EQ(cells, expected);
    auto status = s.totals({base, base + 6000, 0, 0, usage_group::status});
    ASSERT_TRUE(status);
    ASSERT_EQ(status->size(), 2u);
    EXPECT_EQ((*status)[0].group, "error");
    EXPECT_EQ((*status)[0].requests, 1);

    newest_query q;
    q.from_ms = base;
    q.to_ms = base + 6000;
    q.limit = 2;
    auto first = s.newest(q);
    ASSERT_TRUE(first) << first.err().message;
    ASSERT_EQ(first->size(), 2u);
    EXPECT_EQ((*first)[0].time_ms, base + 5000);
    EXPECT_EQ((*first)[1].time_ms, base + 4000);
    EXPECT_EQ((*first)[0].attempt_count, 2);  // escalated
    EXPECT_EQ((*first)[1].attempt_count, 1);
    EXPECT_TRUE((*first)[0].attempts.empty());
    q.before = std::make_pair((*first)[1].time_ms, (*first)[1].request_id);
    auto second = s.newest(q);
    ASSERT_TRUE(second);
    ASSERT_EQ(second->size(), 2u);
    EXPECT_EQ((*second)[0].time_ms, base + 3000);
    newest_query filtered;
    filtered.from_ms = base;
    filtered.to_ms = base + 6000;
    filtered.team = "team-a";
    filtered.tier = "frontier";
    filtered.ok = true;
    auto narrow = s.newest(filtered);
    ASSERT_TRUE(narrow);
    ASSERT_EQ(narrow->size(), 1u);
    EXPECT_EQ((*narrow)[0].time_ms, base + 2000);
    EXPECT_EQ((*narrow)[0].attempt_count, 2);
    filtered.team = "x' OR '1'='1";
    EXPECT_TRUE(s.newest(filtered)->empty());
}

TEST(sqlite_store, totals_and_newest_pages_in_sql) {
    auto s = open_store(":memory:");
    ASSERT_TRUE(s);
    check_totals_and_newest(**s, 1'800'000'000'000);
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
    check_totals_and_newest(**second, base + 10'000);
}
