#include <gtest/gtest.h>

#include <set>

#include "admin/config_sections.h"

namespace tiergate::admin {
namespace {

TEST(admin_config_sections, reports_what_changed_by_top_level_section) {
    const auto before = YAML::Load("models: [{name: a}]\nbudgets: {teams: {ops: {usd_per_day: 5}}}\nrouter: {x: 1}\n");
    const auto after = YAML::Load(
        "models: [ {name: a} ]   # same, written otherwise\nbudgets: {teams: {ops: {usd_per_day: 7}}}\nguard: {}\n");
    const auto c = compare_sections(before, after);
    EXPECT_EQ(c.unchanged, (std::vector<std::string>{"models"}));
    std::set<std::string> changed(c.changed.begin(), c.changed.end());
    EXPECT_EQ(changed, (std::set<std::string>{"budgets", "router", "guard"}));
    const auto none = compare_sections(YAML::Node(), after);
    EXPECT_EQ(none.changed.size(), 3u);
}

}  // namespace
}  // namespace tiergate::admin
