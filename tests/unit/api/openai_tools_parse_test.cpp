// Tool calling in OpenAI chat requests: the typed form, and a clear 400
// naming the field for every malformed part.
#include <gtest/gtest.h>

#include "api/openai_parse.h"

using namespace tiergate;
using namespace tiergate::api;

namespace {

const std::string weather_tool =
    R"({"type":"function","function":{"name":"get_weather","description":"Weather in a city",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}})";

std::string with(const std::string & extra, const std::string & messages = R"([{"role":"user","content":"hi"}])") {
    return R"({"model":"m","messages":)" + messages + (extra.empty() ? "" : "," + extra) + "}";
}

error refused(const std::string & body) {
    auto r = parse_chat_request(body);
    EXPECT_FALSE(r.ok()) << body;
    return r.ok() ? error{} : r.err();
}

}  // namespace

TEST(parse_tools, a_tool_round_trip_is_typed) {
    const std::string messages = R"([
        {"role":"user","content":"Weather in Paris?"},
        {"role":"assistant","content":null,"tool_calls":[
            {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
        {"role":"tool","tool_call_id":"call_1","content":"18 C, cloudy"}])";
    auto r = parse_chat_request(with(R"("tools":[)" + weather_tool +
                                         R"(],"tool_choice":{"type":"function","function":{"name":"get_weather"}},)"
                                         R"("parallel_tool_calls":false)",
                                     messages));
    ASSERT_TRUE(r.ok()) << r.err().message;
    ASSERT_EQ(r->tools.size(), 1u);
    EXPECT_EQ(r->tools[0].name, "get_weather");
    EXPECT_EQ(r->tools[0].description, "Weather in a city");
    EXPECT_TRUE(r->tools[0].strict);
    EXPECT_NE(r->tools[0].parameters_json.find(R"("required":["city"])"), std::string::npos);
    EXPECT_EQ(r->choice.type, tool_choice::kind::function);
    EXPECT_EQ(r->choice.function, "get_weather");
    ASSERT_TRUE(r->parallel_tool_calls.has_value());
    EXPECT_FALSE(*r->parallel_tool_calls);
    ASSERT_EQ(r->messages.size(), 3u);
    EXPECT_EQ(r->messages[1].content, "");
    ASSERT_EQ(r->messages[1].tool_calls.size(), 1u);
    EXPECT_EQ(r->messages[1].tool_calls[0].id, "call_1");
    EXPECT_EQ(r->messages[1].tool_calls[0].arguments, R"({"city":"Paris"})");
    EXPECT_EQ(r->messages[2].tool_call_id, "call_1");
    EXPECT_EQ(r->messages[2].content, "18 C, cloudy");
    EXPECT_TRUE(carries_tools(*r));
}

TEST(parse_tools, tool_choice_strings) {
    for (auto [text, kind] : {std::pair{"none", tool_choice::kind::none}, std::pair{"auto", tool_choice::kind::auto_},
                              std::pair{"required", tool_choice::kind::required}}) {
        auto r = parse_chat_request(with(R"("tools":[)" + weather_tool + R"(],"tool_choice":")" + text + "\""));
        ASSERT_TRUE(r.ok()) << r.err().message;
        EXPECT_EQ(r->choice.type, kind) << text;
    }
    auto plain = parse_chat_request(with(""));
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(carries_tools(*plain));
}

TEST(parse_tools, malformed_tools_name_the_field) {
    EXPECT_EQ(refused(with(R"("tools":{})")).param, "tools");
    EXPECT_EQ(refused(with(R"("tools":[{"type":"retrieval"}])")).param, "tools[0].type");
    EXPECT_EQ(refused(with(R"("tools":[{"type":"function"}])")).param, "tools[0].function");
    EXPECT_EQ(refused(with(R"("tools":[{"type":"function","function":{}}])")).param, "tools[0].function.name");
    EXPECT_EQ(refused(with(R"("tools":[{"type":"function","function":{"name":"a b"}}])")).param,
              "tools[0].function.name");
    EXPECT_EQ(refused(with(R"("tools":[{"type":"function","function":{"name":"f","parameters":"x"}}])")).param,
              "tools[0].function.parameters");
    EXPECT_EQ(refused(with(R"("tools":[{"type":"function","function":{"name":"f","strict":"yes"}}])")).param,
              "tools[0].function.strict");
    // the same name twice
    auto twice = refused(with(R"("tools":[)" + weather_tool + "," + weather_tool + "]"));
    EXPECT_EQ(twice.param, "tools[1].function.name");
    EXPECT_NE(twice.message.find("twice"), std::string::npos);
    // more tools than the API allows
    std::string many;
    for (int i = 0; i < 10000; ++i) {
        many += std::string(i ? "," : "") + R"({"type":"function","function":{"name":"f)" + std::to_string(i) + "\"}}";
    }
    EXPECT_EQ(refused(with(R"("tools":[)" + many + "]")).param, "tools");
    // a schema nested 1,000 deep: the body is refused before parsing
    const std::string deep = std::string(1000, '[') + std::string(1000, ']');
    EXPECT_EQ(refused(with(R"("tools":[{"type":"function","function":{"name":"f","parameters":{"x":)" + deep + "}}}]"))
                  .code,
              "invalid_json");
}

TEST(parse_tools, tool_choice_must_fit_the_tools) {
    EXPECT_EQ(refused(with(R"("tool_choice":"required")")).param, "tool_choice");
    EXPECT_EQ(refused(with(R"("tools":[)" + weather_tool + R"(],"tool_choice":"sometimes")")).param, "tool_choice");
    EXPECT_EQ(refused(with(R"("tools":[)" + weather_tool +
                           R"(],"tool_choice":{"type":"function","function":{"name":"other"}})"))
                  .param,
              "tool_choice.function.name");
    EXPECT_EQ(refused(with(R"("tools":[)" + weather_tool + R"(],"tool_choice":7)")).param, "tool_choice");
    EXPECT_EQ(refused(with(R"("parallel_tool_calls":"yes")")).param, "parallel_tool_calls");
}

TEST(parse_tools, malformed_calls_and_results_name_the_field) {
    auto msgs = [](const std::string & assistant, const std::string & tool = "") {
        return R"([{"role":"user","content":"x"},)" + assistant + (tool.empty() ? "" : "," + tool) + "]";
    };
    EXPECT_EQ(refused(with("", msgs(R"({"role":"assistant","tool_calls":{}})"))).param, "messages[1].tool_calls");
    EXPECT_EQ(refused(with("", msgs(R"({"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]})")))
                  .param,
              "messages[1].tool_calls[0].id");
    EXPECT_EQ(refused(with("", msgs(R"({"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":{}}}]})")))
                  .param,
              "messages[1].tool_calls[0].function.arguments");
    EXPECT_EQ(refused(with("", msgs(R"({"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":"{not json"}}]})")))
                  .param,
              "messages[1].tool_calls[0].function.arguments");
    const std::string deep_args = "\"" + std::string(100, '[') + std::string(100, ']') + "\"";
    EXPECT_EQ(refused(with("", msgs(R"({"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":)" +
                                    deep_args + "}}]}")))
                  .param,
              "messages[1].tool_calls[0].function.arguments");
    // a tool message needs an id, and one an earlier call made
    EXPECT_EQ(refused(with("", msgs(R"({"role":"assistant","content":"ok"})", R"({"role":"tool","content":"r"})"))).param,
              "messages[2].tool_call_id");
    auto orphan = refused(with("", msgs(R"({"role":"assistant","content":"ok"})",
                                        R"({"role":"tool","tool_call_id":"nope","content":"r"})")));
    EXPECT_EQ(orphan.param, "messages[2].tool_call_id");
    EXPECT_NE(orphan.message.find("nope"), std::string::npos);
}
