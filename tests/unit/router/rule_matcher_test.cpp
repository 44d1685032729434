// Route rules: every condition present must hold.
#include <gtest/gtest.h>

#include "router/rule_matcher.h"

namespace tiergate::router {
namespace {

route_rule rule(rule_condition when) {
    route_rule r;
    r.name = "r";
    r.when = std::move(when);
    r.to.tier = config::model_tier::frontier;
    return r;
}

TEST(contains_word, matches_whole_words_only) {
    EXPECT_TRUE(contains_word("please select all rows", "select"));
    EXPECT_FALSE(contains_word("preselected rows", "select"));
    EXPECT_TRUE(contains_word("select", "select"));
    EXPECT_TRUE(contains_word("a c++ question", "c++"));
    EXPECT_FALSE(contains_word("", "x"));
    EXPECT_TRUE(contains_word("x-ray, select.", "select"));
}

TEST(rule_matcher, headers_user_length_schema_and_tools) {
    rule_condition c;
    c.headers["x-user-tier"] = {"premium"};
    c.headers["x-app"] = {};  // present, any value
    c.users = {"alice"};
    c.min_prompt_tokens = 5;
    c.max_prompt_tokens = 100;
    c.json_schema = true;
    rule_matcher m({rule(c)});
    std::map<std::string, std::string> headers{{"x-user-tier", "premium"}, {"x-app", "crm"}};
    route_request r;
    r.headers = &headers;
    r.user = "alice";
    r.prompt_tokens = 50;
    r.json_schema = true;
    EXPECT_TRUE(m.matches(0, r, ""));
    auto without = [&](auto change) {
        route_request copy = r;
        auto h = headers;
        copy.headers = &h;
        change(copy, h);
        return m.matches(0, copy, "");
    };
    EXPECT_FALSE(without([](route_request &, auto & h) { h["x-user-tier"] = "free"; }));
    EXPECT_FALSE(without([](route_request &, auto & h) { h.erase("x-app"); }));
    EXPECT_FALSE(without([](route_request & q, auto &) { q.user = "bob"; }));
    EXPECT_FALSE(without([](route_request & q, auto &) { q.prompt_tokens = 4; }));
    EXPECT_FALSE(without([](route_request & q, auto &) { q.prompt_tokens = 101; }));
    EXPECT_FALSE(without([](route_request & q, auto &) { q.json_schema = false; }));
    EXPECT_FALSE(without([](route_request & q, auto &) { q.headers = nullptr; }));
}

TEST(rule_matcher, tool_names_match_any_offered_tool) {
    rule_condition c;
    c.tool_names = {"sql_query", "search_docs"};
    rule_matcher m({rule(c)});
    route_request r;
    EXPECT_FALSE(m.matches(0, r, ""));  // no tools offered
    std::vector<tool_definition> tools = {{"get_weather", "", "", false}};
    r.tools = true;
    r.tool_definitions = &tools;
    EXPECT_FALSE(m.matches(0, r, ""));
    tools.push_back({"search_docs", "", "", false});
    EXPECT_TRUE(m.matches(0, r, ""));
}

TEST(rule_matcher, keywords_any_and_regex_over_the_conversation) {
    rule_condition kw;
    kw.keywords = {"theorem", "prove"};
    rule_condition re;
    re.regex = "(?i)\\bselect\\b.+\\bfrom\\b";
    rule_matcher m({rule(kw), rule(re)});
    route_request r;
    r.conversation_text = "Please PROVE this";
    EXPECT_TRUE(m.matches(0, r, "please prove this"));
    EXPECT_FALSE(m.matches(0, r, "please approve this"));
    EXPECT_FALSE(m.matches(1, r, ""));
    r.conversation_text = "write SELECT name FROM users";
    EXPECT_TRUE(m.matches(1, r, ""));
    EXPECT_TRUE(m.needs_lowered_text());
}

TEST(rule_matcher, a_rule_without_conditions_always_matches) {
    rule_matcher m({rule({})});
    route_request r;
    EXPECT_TRUE(m.matches(0, r, ""));
    EXPECT_FALSE(m.needs_lowered_text());
}

}  // namespace
}  // namespace tiergate::router
