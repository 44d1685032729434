#include <gtest/gtest.h>

#include "admin/period.h"

namespace tiergate::admin {
namespace {

// 2026-12-07T10:00:30Z
constexpr int64_t now = 1'796'637'630'000;

TEST(admin_period, a_range_ends_now_and_picks_its_bucket) {
    auto p = read_period({{"range", "1h"}}, now);
    ASSERT_TRUE(p) << p.err().message;
    EXPECT_EQ(p->to_ms, now);
    EXPECT_EQ(p->from_ms, now - 3'600'000);
    EXPECT_EQ(p->bucket, "minute");
    EXPECT_EQ(p->first_bucket_ms() % 60'000, 0);
    EXPECT_LE(p->first_bucket_ms(), p->from_ms);
    EXPECT_EQ(p->bucket_count(), 61);  // the hour spans 61 started minutes
    EXPECT_EQ(read_period({{"range", "7d"}}, now)->bucket, "hour");
    EXPECT_EQ(read_period({{"range", "30d"}}, now)->bucket, "day");
    EXPECT_EQ(read_period({}, now, "24h")->from_ms, now - 86'400'000);
}

TEST(admin_period, from_and_to_take_milliseconds_or_utc_times) {
    auto p = read_period({{"from", "2026-12-07T09:00:00Z"}, {"to", "1796637600000"}, {"bucket", "hour"}}, now);
    ASSERT_TRUE(p) << p.err().message;
    EXPECT_EQ(p->from_ms, 1'796'634'000'000);
    EXPECT_EQ(p->to_ms, 1'796'637'600'000);
    EXPECT_EQ(p->bucket_count(), 1);
    EXPECT_EQ(*parse_time("2026-12-07T09:00:00.250Z", "from"), 1'796'634'000'250);
    EXPECT_FALSE(parse_time("2026-12-07T09:00:00.5Z", "from"));  // not 5 ms: three digits or none
    EXPECT_FALSE(parse_time("2026-12-07T09:00:00.5000Z", "from"));
}

TEST(admin_period, bad_periods_are_refused_with_the_parameter_named) {
    auto refused = [](query_map q) {
        auto p = read_period(q, now);
        EXPECT_FALSE(p);
        return p ? std::string() : p.err().param;
    };
    EXPECT_EQ(refused({{"range", "abc"}}), "range");
    EXPECT_EQ(refused({{"range", "-5m"}}), "range");
    EXPECT_EQ(refused({{"range", "1h"}, {"from", "1"}}), "range");
    EXPECT_EQ(refused({{"to", "5"}}), "from");
    EXPECT_EQ(refused({{"from", "2026-13-01T00:00:00Z"}}), "from");
    EXPECT_EQ(refused({{"from", "2026-12-07T09:00:00Z<script>"}}), "from");
    EXPECT_EQ(refused({{"from", "2000"}, {"to", "1000"}}), "from");
    EXPECT_EQ(refused({{"range", "94d"}}), "range");
    EXPECT_EQ(refused({{"range", "30d"}, {"bucket", "minute"}}), "bucket");
    EXPECT_EQ(refused({{"range", "1h"}, {"bucket", "week"}}), "bucket");
}

TEST(admin_period, only_known_parameters_pass) {
    EXPECT_TRUE(only_params({{"range", "1h"}}, {"range", "from"}));
    auto unknown = only_params({{"range", "1h"}, {"rnage", "x"}}, {"range"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.err().param, "rnage");
    EXPECT_NE(unknown.err().message.find("known: range"), std::string::npos);
    EXPECT_FALSE(only_params({{"a", ""}}, {}));
}

}  // namespace
}  // namespace tiergate::admin
