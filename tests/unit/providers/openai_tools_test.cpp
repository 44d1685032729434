// Tool calling through an OpenAI-compatible upstream: the request carries
// tools, tool_choice and the history's calls and results unchanged; the
// answer's tool calls come back whole or as streamed fragments.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "providers/openai_dialect.h"
#include "providers/openai_tool_wire.h"
#include "providers/sse_parser.h"

namespace tiergate::providers {
namespace {

using nlohmann::json;

generation_call tool_call_request() {
    generation_call call;
    call.kind = request_kind::chat;
    call.model = "m";
    call.messages.push_back({"user", "Weather in Paris?", "", {}, ""});
    chat_message assistant{"assistant", "", "", {{"call_1", "get_weather", R"({"city":"Paris"})"}}, ""};
    call.messages.push_back(assistant);
    call.messages.push_back({"tool", "18 C", "", {}, "call_1"});
    call.tools.push_back({"get_weather", "Weather in a city", R"({"type":"object"})", true});
    call.choice = {tool_choice::kind::required, ""};
    call.parallel_tool_calls = false;
    return call;
}

TEST(openai_tools, the_request_carries_tools_and_the_history_unchanged) {
    openai_dialect dialect(false);
    auto spec = dialect.generation_request(tool_call_request(), upstream_identity{"up", ""});
    ASSERT_TRUE(spec.ok()) << spec.err().message;
    const json body = json::parse(spec->body);
    EXPECT_EQ(body["tools"], json::parse(R"([{"type":"function","function":{"name":"get_weather",
        "description":"Weather in a city","parameters":{"type":"object"},"strict":true}}])"));
    EXPECT_EQ(body["tool_choice"], "required");
    EXPECT_EQ(body["parallel_tool_calls"], false);
    const auto & msgs = body["messages"];
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_TRUE(msgs[1]["content"].is_null());
    EXPECT_EQ(msgs[1]["tool_calls"], json::parse(R"([{"id":"call_1","type":"function",
        "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}])"));
    EXPECT_EQ(msgs[2]["tool_call_id"], "call_1");
    EXPECT_EQ(msgs[2]["content"], "18 C");

    auto plain = tool_call_request();
    plain.tools.clear();
    plain.choice = {};
    plain.parallel_tool_calls.reset();
    const json plain_body = json::parse(dialect.generation_request(plain, upstream_identity{"up", ""})->body);
    EXPECT_FALSE(plain_body.contains("tools"));
    EXPECT_FALSE(plain_body.contains("tool_choice"));
    EXPECT_FALSE(plain_body.contains("parallel_tool_calls"));
}

TEST(openai_tools, streamed_tool_call_fragments_become_deltas) {
    openai_dialect dialect(false);
    auto call = tool_call_request();
    call.stream = true;
    auto decoder = dialect.make_decoder(call, "m");
    std::vector<generation_delta> out;
    const std::string stream =
        R"(data: {"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"get_weather","arguments":""}}]}}]})"
        "\n\n"
        R"(data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}}]})"
        "\n\n"
        R"(data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Paris\"}"}},{"index":1,"id":"call_10","function":{"name":"get_time","arguments":"{}"}}]}}]})"
        "\n\n"
        R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})"
        "\n\n"
        "data: [DONE]\n\n";
    sse_parser parser([&](sse_event && ev) { ASSERT_FALSE(decoder->on_event(ev, out).has_value()); });
    parser.feed(stream);
    EXPECT_EQ(decoder->finish_reason(), "tool_calls");
    tool_call_collector calls;
    size_t fragments = 0;
    for (const auto & d : out) {
        EXPECT_TRUE(d.content.empty());
        for (const auto & t : d.tool_calls) {
            calls.add(t);
            ++fragments;
        }
    }
    EXPECT_EQ(fragments, 4u);
    ASSERT_EQ(calls.calls().size(), 2u);
    EXPECT_EQ(calls.calls()[0].id, "call_9");
    EXPECT_EQ(calls.calls()[0].name, "get_weather");
    EXPECT_EQ(calls.calls()[0].arguments, R"({"city":"Paris"})");
    EXPECT_EQ(calls.calls()[1].id, "call_10");
    EXPECT_EQ(calls.calls()[1].name, "get_time");
}

TEST(openai_tools, whole_tool_calls_are_read_and_malformed_ones_refused) {
    openai_dialect dialect(false);
    auto call = tool_call_request();
    auto decoder = dialect.make_decoder(call, "m");
    std::vector<generation_delta> out;
    ASSERT_FALSE(decoder
                     ->on_json(R"({"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                        {"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
                        "finish_reason":"tool_calls"}]})",
                               out)
                     .has_value());
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].tool_calls.size(), 1u);
    EXPECT_EQ(out[0].tool_calls[0].id, "c1");
    EXPECT_EQ(out[0].tool_calls[0].arguments, R"({"city":"Oslo"})");
    EXPECT_EQ(decoder->finish_reason(), "tool_calls");

    for (const char * bad : {R"({"choices":[{"message":{"tool_calls":{}}}]})",
                             R"({"choices":[{"message":{"tool_calls":[{"function":{"name":"f"}}]}}]})",
                             R"({"choices":[{"message":{"tool_calls":[7]}}]})"}) {
        auto d = dialect.make_decoder(call, "m");
        std::vector<generation_delta> o;
        EXPECT_ANY_THROW((void)d->on_json(bad, o)) << bad;
    }
    // a streamed fragment without its index cannot be placed
    auto d = dialect.make_decoder(call, "m");
    std::vector<generation_delta> o;
    EXPECT_ANY_THROW((void)d->on_event(sse_event{"", R"({"choices":[{"delta":{"tool_calls":[{"id":"x"}]}}]})"}, o));
}

TEST(openai_tools, the_streamed_wire_form_names_id_and_function_on_the_first_fragment_only) {
    const json first = openai_tool_call_deltas_json({{0, "call_1", "f", ""}});
    EXPECT_EQ(first, json::parse(R"([{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}])"));
    const json later = openai_tool_call_deltas_json({{0, "", "", "{\"a\":1}"}});
    EXPECT_EQ(later, json::parse(R"([{"index":0,"function":{"arguments":"{\"a\":1}"}}])"));
}

}  // namespace
}  // namespace tiergate::providers
