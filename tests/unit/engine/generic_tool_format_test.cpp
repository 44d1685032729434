// The generic JSON tool format for templates without a tool-call syntax:
// the tools described in a system message, the history's calls written as
// the format's JSON, a grammar for the answer, and the answer read back.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/generic_tool_format.h"

namespace tiergate::engine {
namespace {

using nlohmann::json;

const std::vector<tool_definition> defs = {
    {"get_weather", "The forecast", R"({"type":"object","properties":{"unit":{"enum":["c","f"]}},"required":["unit"]})",
     false},
    {"get_time", "", "", false}};

TEST(generic_tool_format, the_tools_are_described_and_the_history_written_as_json) {
    const chat_tools tools{&defs, {tool_choice::kind::auto_, ""}, false};
    const std::vector<chat_message> history = {
        {"user", "weather?", "", {}, ""},
        {"assistant", "", "", {{"call_1", "get_weather", R"({"unit":"c"})"}}, ""},
        {"tool", "sunny", "", {}, "call_1"}};
    const auto out = generic_tools::prepare_messages(history, tools);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].role, "system");
    EXPECT_NE(out[0].content.find("get_weather"), std::string::npos);
    EXPECT_NE(out[0].content.find("The forecast"), std::string::npos);
    EXPECT_NE(out[0].content.find("{\"response\""), std::string::npos);  // auto: text allowed
    EXPECT_TRUE(out[2].tool_calls.empty());
    EXPECT_EQ(json::parse(out[2].content),
              json::parse(R"({"tool_calls":[{"name":"get_weather","arguments":{"unit":"c"}}]})"));
    EXPECT_EQ(out[3].role, "user");
    EXPECT_EQ(json::parse(out[3].content), json::parse(R"({"tool_result":{"tool_call_id":"call_1","content":"sunny"}})"));

    // an existing system message is extended, not duplicated; required: no text answer
    const chat_tools required{&defs, {tool_choice::kind::required, ""}, false};
    const auto with_system = generic_tools::prepare_messages({{"system", "Be brief.", "", {}, ""}, history[0]}, required);
    ASSERT_EQ(with_system.size(), 2u);
    EXPECT_EQ(with_system[0].content.rfind("Be brief.", 0), 0u);
    EXPECT_EQ(with_system[0].content.find("{\"response\""), std::string::npos);
}

TEST(generic_tool_format, the_grammar_names_the_offered_functions_only) {
    const chat_tools named{&defs, {tool_choice::kind::function, "get_time"}, false};
    auto g = generic_tools::grammar(named);
    ASSERT_TRUE(g.ok()) << g.err().message;
    EXPECT_NE(g->find("get_time"), std::string::npos);
    EXPECT_EQ(g->find("get_weather"), std::string::npos);
    const chat_tools all{&defs, {tool_choice::kind::auto_, ""}, true};
    auto g2 = generic_tools::grammar(all);
    ASSERT_TRUE(g2.ok());
    EXPECT_NE(g2->find("get_weather"), std::string::npos);
    EXPECT_NE(g2->find("response"), std::string::npos);
}

TEST(generic_tool_format, answers_are_read_back) {
    auto calls = generic_tools::parse(R"({ "tool_calls" : [ { "name" : "get_weather", "arguments" : { "unit" : "f" } } ] })",
                                      false);
    ASSERT_TRUE(calls.ok());
    ASSERT_EQ(calls->calls.size(), 1u);
    EXPECT_EQ(calls->calls[0].name, "get_weather");
    EXPECT_EQ(json::parse(calls->calls[0].arguments), json::parse(R"({"unit":"f"})"));
    EXPECT_TRUE(calls->content.empty());

    auto text = generic_tools::parse(R"({"response": "It is sunny."})", false);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(text->content, "It is sunny.");
    EXPECT_TRUE(text->calls.empty());

    // cut by max_tokens: the text as it is; otherwise not the format: an error
    auto cut = generic_tools::parse(R"({"tool_calls": [{"name": "get_)", true);
    ASSERT_TRUE(cut.ok());
    EXPECT_EQ(cut->content, R"({"tool_calls": [{"name": "get_)");
    EXPECT_FALSE(generic_tools::parse("not json", false).ok());
}

}  // namespace
}  // namespace tiergate::engine
