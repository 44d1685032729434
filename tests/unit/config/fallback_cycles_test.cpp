#include <gtest/gtest.h>

#include "config/fallback_cycles.h"

namespace tiergate::config {
namespace {

using edges = std::map<std::string, std::vector<std::string>>;

TEST(fallback_cycles, chain_without_cycle) {
    EXPECT_TRUE(find_fallback_cycle(edges{{"slm", {"mid"}}, {"mid", {"frontier"}}, {"frontier", {}}}).empty());
}

TEST(fallback_cycles, diamond_is_not_a_cycle) {
    EXPECT_TRUE(find_fallback_cycle(edges{{"a", {"b", "c"}}, {"b", {"d"}}, {"c", {"d"}}, {"d", {}}}).empty());
}

TEST(fallback_cycles, self_loop) {
    EXPECT_EQ(find_fallback_cycle(edges{{"a", {"a"}}}), (std::vector<std::string>{"a", "a"}));
}

TEST(fallback_cycles, reports_only_the_cycle_not_the_path_into_it) {
    auto cycle = find_fallback_cycle(edges{{"a", {"b"}}, {"b", {"c"}}, {"c", {"d"}}, {"d", {"b"}}});
    EXPECT_EQ(cycle, (std::vector<std::string>{"b", "c", "d", "b"}));
}

TEST(fallback_cycles, unknown_targets_are_ignored) {
    EXPECT_TRUE(find_fallback_cycle(edges{{"a", {"nowhere"}}}).empty());
}

}  // namespace
}  // namespace tiergate::config
