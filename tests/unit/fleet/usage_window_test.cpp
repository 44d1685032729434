// A deployment's usage of the minute: limits checked and counted in one
// step, corrections kept to the minute they belong to, and shared counting
// (what is unsent, what the others used, a failed report sent again).
#include <gtest/gtest.h>

#include "fleet/usage_window.h"

namespace tiergate::fleet {
namespace {

TEST(usage_window, reports_what_is_unsent_and_counts_the_others_share) {
    usage_window w;
    const auto t = std::chrono::system_clock::time_point(std::chrono::minutes(1000)) + std::chrono::seconds(5);
    ASSERT_EQ(w.try_add_request(10, 0, 0, t), std::optional<int64_t>(1000));
    ASSERT_EQ(w.try_add_request(20, 0, 0, t), std::optional<int64_t>(1000));
    auto u = w.take_unsent(t);
    EXPECT_EQ(u.minute, 1000);
    EXPECT_EQ(u.requests, 2);
    EXPECT_EQ(u.tokens, 30);
    w.add_tokens(-5, 1000);  // a correction after the report
    w.set_shared(1000, 7, 100);  // our 2 and 30 are in there
    auto f = w.now(t);
    EXPECT_EQ(f.requests, 2 + 5);
    EXPECT_EQ(f.tokens, 25 + 70);
    EXPECT_EQ(f.until_next_minute.count(), 55'000);
    u = w.take_unsent(t);
    EXPECT_EQ(u.requests, 0);
    EXPECT_EQ(u.tokens, -5);
    // a report of a minute that is over changes nothing; a new minute starts empty
    w.set_shared(999, 50, 50);
    EXPECT_EQ(w.now(t).requests, 7);
    EXPECT_EQ(w.now(t + std::chrono::minutes(1)).requests, 0);
}

TEST(usage_window, a_correction_after_the_minute_is_over_is_dropped) {
    usage_window w;
    const auto t = std::chrono::system_clock::time_point(std::chrono::minutes(2000)) + std::chrono::seconds(59);
    auto minute = w.try_add_request(10'000, 0, 100'000, t);
    ASSERT_TRUE(minute);
    // the call ends in the next minute having used 2,000: nothing is taken from the new minute
    ASSERT_TRUE(w.try_add_request(50, 0, 100'000, t + std::chrono::seconds(2)));
    w.add_tokens(2'000 - 10'000, *minute);
    EXPECT_EQ(w.now(t + std::chrono::seconds(2)).tokens, 50);
}

TEST(usage_window, limits_refuse_without_counting) {
    usage_window w;
    const auto t = std::chrono::system_clock::time_point(std::chrono::minutes(3000));
    EXPECT_TRUE(w.try_add_request(500, 2, 600, t));   // the first call of a minute goes, whatever its size
    EXPECT_FALSE(w.try_add_request(200, 2, 600, t));  // 500 + 200 > 600
    EXPECT_TRUE(w.try_add_request(100, 2, 600, t));
    EXPECT_FALSE(w.try_add_request(1, 2, 600, t));    // 2 requests: the RPM
    EXPECT_EQ(w.now(t).requests, 2);
    EXPECT_EQ(w.now(t).tokens, 600);
}

TEST(usage_window, a_report_that_failed_is_sent_again) {
    usage_window w;
    const auto t = std::chrono::system_clock::time_point(std::chrono::minutes(4000));
    ASSERT_TRUE(w.try_add_request(10, 0, 0, t));
    auto u = w.take_unsent(t);
    w.unsend(u);  // the shared counters did not take it
    ASSERT_TRUE(w.try_add_request(5, 0, 0, t));
    u = w.take_unsent(t);
    EXPECT_EQ(u.requests, 2);
    EXPECT_EQ(u.tokens, 15);
    w.set_shared(4000, 2, 15);  // nobody else
    EXPECT_EQ(w.now(t).requests, 2);
}

}  // namespace
}  // namespace tiergate::fleet
