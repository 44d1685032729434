#include <gtest/gtest.h>

#include "auth/key_time.h"

namespace tiergate::auth {
namespace {

TEST(key_time, dates_are_utc_midnight) {
    auto t = parse_expiry("2027-01-01");
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, 1798761600);
    EXPECT_EQ(format_utc(*t), "2027-01-01T00:00:00Z");
}

TEST(key_time, full_times) {
    auto t = parse_expiry("2027-01-01T12:30:05Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, 1798806605);
}

TEST(key_time, bad_dates) {
    for (const char * text : {"", "2027-1-1", "2027-02-30", "2027-13-01", "tomorrow", "2027-01-01T25:00:00Z",
                              "2027-01-01 12:00:00", "2027-01-01T12:00:00"}) {
        auto t = parse_expiry(text);
        ASSERT_FALSE(t) << text;
        EXPECT_EQ(t.err().kind, error_kind::invalid_request);
        EXPECT_EQ(t.err().param, "expires");
    }
}

TEST(key_time, lifetimes) {
    EXPECT_EQ(*parse_ttl_seconds("90s"), 90);
    EXPECT_EQ(*parse_ttl_seconds("15m"), 900);
    EXPECT_EQ(*parse_ttl_seconds("12h"), 43200);
    EXPECT_EQ(*parse_ttl_seconds("30d"), 2592000);
    EXPECT_EQ(*parse_ttl_seconds("2w"), 1209600);
    for (const char * text : {"", "d", "0d", "-1d", "30", "30y", "1.5d", "99999999999w"}) {
        EXPECT_FALSE(parse_ttl_seconds(text)) << text;
    }
}

}  // namespace
}  // namespace tiergate::auth
