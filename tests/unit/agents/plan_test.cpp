// Plans: what a planner answers is read strictly and checked before anything runs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agents/plan.h"

namespace tiergate::agents {
namespace {

agent_settings team() {
    agent_settings s;
    for (const char * name : {"sql", "writer", "docs"}) {
        specialist_settings sp;
        sp.name = name;
        s.specialists.push_back(sp);
    }
    return s;
}

TEST(plan, independent_subtasks_share_a_wave_and_dependents_follow) {
    auto p = parse_plan(R"({"subtasks":[
        {"id":"a","specialist":"sql","instruction":"figures","after":[]},
        {"id":"b","specialist":"docs","instruction":"policy","after":[]},
        {"id":"c","specialist":"writer","instruction":"reply","after":["a","b"]}]})",
                        team(), 6);
    ASSERT_TRUE(p) << p.err().message;
    ASSERT_EQ(p->waves.size(), 2u);
    EXPECT_EQ(p->waves[0], (std::vector<size_t>{0, 1}));
    EXPECT_EQ(p->waves[1], (std::vector<size_t>{2}));
}

TEST(plan, a_chain_runs_in_order) {
    auto p = parse_plan(R"({"subtasks":[
        {"id":"c","specialist":"writer","instruction":"x","after":["b"]},
        {"id":"b","specialist":"sql","instruction":"x","after":["a"]},
        {"id":"a","specialist":"docs","instruction":"x"}]})",
                        team(), 6);
    ASSERT_TRUE(p) << p.err().message;
    ASSERT_EQ(p->waves.size(), 3u);
    EXPECT_EQ(p->waves[0], (std::vector<size_t>{2}));
    EXPECT_EQ(p->waves[1], (std::vector<size_t>{1}));
    EXPECT_EQ(p->waves[2], (std::vector<size_t>{0}));
}

TEST(plan, prose_or_a_code_fence_around_the_object_is_tolerated) {
    auto p = parse_plan("Here is the plan:\n```json\n{\"subtasks\":[{\"specialist\":\"sql\",\"instruction\":\"go\"}]}\n```",
                        team(), 6);
    ASSERT_TRUE(p) << p.err().message;
    EXPECT_EQ(p->steps[0].id, "s1");
}

struct bad_plan_case {
    const char * text;
    const char * says;
};

class plan_refused : public ::testing::TestWithParam<bad_plan_case> {};

TEST_P(plan_refused, with_a_reason) {
    auto p = parse_plan(GetParam().text, team(), 3);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.err().code, "invalid_plan");
    EXPECT_NE(p.err().message.find(GetParam().says), std::string::npos) << p.err().message;
}

INSTANTIATE_TEST_SUITE_P(
    cases, plan_refused,
    ::testing::Values(
        bad_plan_case{"not json at all", "not a JSON object"},
        bad_plan_case{"[1,2]", "not a JSON object"},
        bad_plan_case{R"({"steps":[]})", "'subtasks' must be a list"},
        bad_plan_case{R"({"subtasks":[]})", "no subtasks"},
        bad_plan_case{R"({"subtasks":[7]})", "not an object"},
        bad_plan_case{R"({"subtasks":[{"specialist":"sql"}]})", "no 'instruction'"},
        bad_plan_case{R"({"subtasks":[{"specialist":3,"instruction":"x"}]})", "must be a string"},
        bad_plan_case{R"({"subtasks":[{"specialist":"hacker","instruction":"x"}]})", "no specialist 'hacker'"},
        bad_plan_case{R"({"subtasks":[{"id":"a","specialist":"sql","instruction":"x"},{"id":"a","specialist":"sql","instruction":"y"}]})",
                      "used twice"},
        bad_plan_case{R"({"subtasks":[{"id":"a","specialist":"sql","instruction":"x","after":["b"]},{"id":"b","specialist":"sql","instruction":"y","after":["a"]}]})",
                      "cycle"},
        bad_plan_case{R"({"subtasks":[{"id":"a","specialist":"sql","instruction":"x","after":["a"]}]})", "itself"},
        bad_plan_case{R"({"subtasks":[{"id":"a","specialist":"sql","instruction":"x","after":["zz"]}]})", "not in the plan"},
        bad_plan_case{R"({"subtasks":[{"id":"a","specialist":"sql","instruction":"x","after":"b"}]})", "list of ids"},
        bad_plan_case{R"({"subtasks":[{"specialist":"sql","instruction":"1"},{"specialist":"sql","instruction":"2"},{"specialist":"sql","instruction":"3"},{"specialist":"sql","instruction":"4"}]})",
                      "more than 3"},
        bad_plan_case{R"({"subtasks":[{"specialist":"sql","instruction":""}]})", "needs an instruction"},
        bad_plan_case{"{\"subtasks\":[{\"specialist\":\"sql\",\"instruction\":\"\xff\"}]}", "UTF-8"}));

TEST(plan, deep_nesting_is_refused_before_parsing) {
    std::string deep = "{\"subtasks\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
    auto p = parse_plan(deep, team(), 3);
    ASSERT_FALSE(p);
    EXPECT_NE(p.err().message.find("nested too deeply"), std::string::npos);
}

TEST(plan, the_schema_names_the_specialists_and_the_limit) {
    auto schema = nlohmann::json::parse(plan_schema_json({"sql", "writer"}, 4));
    const auto & subtasks = schema["properties"]["subtasks"];
    EXPECT_EQ(subtasks["maxItems"], 4);
    EXPECT_EQ(subtasks["items"]["properties"]["specialist"]["enum"], nlohmann::json({"sql", "writer"}));
    EXPECT_EQ(schema["additionalProperties"], false);
}

}  // namespace
}  // namespace tiergate::agents
