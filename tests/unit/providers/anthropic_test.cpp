// The Anthropic Messages API provider against recorded responses and streams
// (tests/data/anthropic/) served by a local upstream in small pieces.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "fault_upstream.h"
#include "providers/fallback_chain.h"
#include "providers/make_remote_provider.h"
#include "providers/openai_tool_wire.h"
#include "recording_observer.h"
#include "test_models.h"

namespace tiergate::testing {
namespace {

using json = nlohmann::json;
using tcp = boost::asio::ip::tcp;
using namespace std::chrono_literals;

std::string data_file(const std::string & name) {
    std::ifstream in(std::string(TIERGATE_SOURCE_DIR) + "/tests/data/anthropic/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_FALSE(ss.str().empty()) << name;
    return ss.str();
}

// Serves a recorded event stream in 7-byte chunks, so events are split.
upstream_script recorded_stream(const std::string & file) {
    return [stream = data_file(file)](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::start_sse(s);
        for (size_t i = 0; i < stream.size(); i += 7) {
            fault_upstream::chunk(s, stream.substr(i, 7));
        }
        fault_upstream::end_chunks(s);
    };
}

class anthropic_test : public ::testing::Test {
  protected:
    void SetUp() override {
        context_ = providers::remote_context::make();
        context_.env = config::fixed_env({{"TEST_ANTHROPIC_KEY", "sk-ant-test"}});
    }

    std::unique_ptr<providers::provider> make(const std::string & name, const std::string & endpoint,
                                              int attempts = 1) {
        auto m = remote_model(name, endpoint, config::provider_kind::anthropic, attempts);
        m.remote->api_key_env = "TEST_ANTHROPIC_KEY";
        auto p = providers::make_remote_provider(m, context_);
        EXPECT_TRUE(p.ok());
        return p.ok() ? std::move(*p) : nullptr;
    }

    static std::shared_ptr<recording_observer> run(providers::provider & p, const generation_call & c) {
        auto obs = std::make_shared<recording_observer>();
        p.generate(c, obs);
        EXPECT_TRUE(obs->wait_end());
        return obs;
    }

    static generation_call call() {
        generation_call c;
        c.messages = {{"system", "You are terse.", ""},
                      {"developer", "Be kind.", ""},
                      {"user", "hi", ""},
                      {"user", "there", ""},
                      {"assistant", "Hello.", ""},
                      {"user", "again", ""}};
        c.params.stop = {"END"};
        c.params.temperature = 0.2f;
        c.params.top_p = 0.9f;
        c.params.top_k = 40;
        c.stream = true;
        return c;
    }

    providers::remote_context context_;
};

TEST_F(anthropic_test, request_is_translated_to_the_messages_api) {
    fault_upstream up(recorded_stream("stream_basic.sse"));
    auto p = make("claude", up.url() + "/v1");
    auto obs = run(*p, call());
    ASSERT_EQ(up.requests(), 1);
    auto req = up.seen()[0];
    EXPECT_EQ(req.target, "/v1/messages");
    EXPECT_EQ(req.headers["x-api-key"], "sk-ant-test");
    EXPECT_EQ(req.headers["anthropic-version"], "2023-06-01");
    EXPECT_EQ(req.headers.count("authorization"), 0u);
    auto body = json::parse(req.body);
    EXPECT_EQ(body["model"], "claude");
    EXPECT_EQ(body["system"], "You are terse.\n\nBe kind.");
    ASSERT_EQ(body["messages"].size(), 3u);
    EXPECT_EQ(body["messages"][0]["role"], "user");
    EXPECT_EQ(body["messages"][0]["content"],
              json::parse(R"([{"type":"text","text":"hi"},{"type":"text","text":"there"}])"));
    EXPECT_EQ(body["messages"][1]["role"], "assistant");
    EXPECT_EQ(body["messages"][2]["content"], json::parse(R"([{"type":"text","text":"again"}])"));
    EXPECT_FALSE(body.contains("tools"));
    EXPECT_EQ(body["max_tokens"], 4096);
    EXPECT_EQ(body["stop_sequences"][0], "END");
    EXPECT_FLOAT_EQ(body["temperature"].get<float>(), 0.2f);
    EXPECT_FLOAT_EQ(body["top_p"].get<float>(), 0.9f);
    EXPECT_EQ(body["top_k"], 40);
    EXPECT_EQ(body["stream"], true);
}

TEST_F(anthropic_test, recorded_stream_becomes_deltas_usage_and_stop) {
    fault_upstream up(recorded_stream("stream_basic.sse"));
    auto p = make("claude", up.url());
    auto c = call();
    c.params.max_tokens = 100;
    auto obs = run(*p, c);
    EXPECT_EQ(obs->ends(), 1);
    auto end = obs->end();
    EXPECT_FALSE(end.failure.has_value());
    EXPECT_EQ(obs->text(), "Hello there!");
    EXPECT_EQ(obs->deltas().size(), 2u);
    EXPECT_EQ(end.finish_reason, "stop");
    EXPECT_EQ(end.tokens.prompt_tokens, 125);
    EXPECT_EQ(end.tokens.cached_tokens, 100);
    EXPECT_EQ(end.tokens.completion_tokens, 15);
    EXPECT_EQ(end.model, "claude");
    EXPECT_EQ(up.seen()[0].target, "/v1/messages");
    EXPECT_EQ(json::parse(up.seen()[0].body)["max_tokens"], 100);
}

TEST_F(anthropic_test, recorded_whole_message_is_read_when_not_streamed) {
    fault_upstream up([msg = data_file("message_basic.json")](tcp::socket & s, const upstream_request &, int,
                                                             fault_upstream &) {
        fault_upstream::respond(s, 200, msg);
    });
    auto p = make("claude", up.url());
    auto c = call();
    c.stream = false;
    auto obs = run(*p, c);
    auto end = obs->end();
    EXPECT_FALSE(end.failure.has_value());
    EXPECT_EQ(obs->text(), "Hi again");
    EXPECT_EQ(end.finish_reason, "length");
    EXPECT_EQ(end.tokens.prompt_tokens, 12);
    EXPECT_EQ(end.tokens.completion_tokens, 2);
}

TEST_F(anthropic_test, error_event_before_content_fails_over) {
    fault_upstream a(recorded_stream("stream_error_overloaded.sse"));
    fault_upstream b(recorded_stream("stream_basic.sse"));
    auto pa = make("claude-a", a.url());
    auto pb = make("claude-b", b.url());
    {
        auto obs = run(*pa, call());
        auto end = obs->end();
        ASSERT_TRUE(end.failure.has_value());
        EXPECT_EQ(end.failure->code, "upstream_overloaded");
        EXPECT_NE(end.failure->message.find("Overloaded"), std::string::npos);
    }
    providers::fallback_chain chain(*pa, {pb.get()});
    auto obs = run(chain, call());
    EXPECT_EQ(obs->ends(), 1);
    EXPECT_FALSE(obs->end().failure.has_value());
    EXPECT_EQ(obs->text(), "Hello there!");
    EXPECT_EQ(obs->end().model, "claude-b");
    EXPECT_EQ(a.requests(), 2);
    EXPECT_EQ(b.requests(), 1);
}

TEST_F(anthropic_test, overloaded_status_is_retried_and_reported_with_its_message) {
    fault_upstream a([body = data_file("error_overloaded.json")](tcp::socket & s, const upstream_request &, int,
                                                                  fault_upstream &) {
        fault_upstream::respond(s, 529, body);
    });
    auto pa = make("claude", a.url(), 2);
    auto obs = run(*pa, call());
    auto end = obs->end();
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.failure->kind, error_kind::upstream);
    EXPECT_NE(end.failure->message.find("529"), std::string::npos);
    EXPECT_NE(end.failure->message.find("Overloaded"), std::string::npos);
    EXPECT_EQ(a.requests(), 2);
}

TEST_F(anthropic_test, response_format_is_refused_before_any_request) {
    fault_upstream a(recorded_stream("stream_basic.sse"));
    auto pa = make("claude", a.url());
    auto c = call();
    c.params.format.type = response_format::kind::json_object;
    auto obs = run(*pa, c);
    ASSERT_TRUE(obs->end().failure.has_value());
    EXPECT_EQ(obs->end().failure->kind, error_kind::invalid_request);
    EXPECT_EQ(obs->end().failure->param, "response_format");
    EXPECT_EQ(a.requests(), 0);
}

// Tools go out in Anthropic's shape: tools with input_schema, tool_choice,
// the history's tool calls as tool_use blocks and tool results as one user
// turn of tool_result blocks.
TEST_F(anthropic_test, tools_and_the_tool_history_are_translated) {
    fault_upstream up(recorded_stream("stream_tool_use.sse"));
    auto p = make("claude", up.url() + "/v1");
    generation_call c;
    c.messages = {{"user", "Weather and time in SF?", "", {}, ""},
                  {"assistant", "Checking.", "", {{"call_1", "get_weather", R"({"location":"SF"})"}, {"call_2", "get_time", "{}"}}, ""},
                  {"tool", "18 C", "", {}, "call_1"},
                  {"tool", "14:05", "", {}, "call_2"},
                  {"user", "And tomorrow?", "", {}, ""}};
    c.tools = {{"get_weather", "Weather in a city", R"({"type":"object","properties":{"location":{"type":"string"}}})", false},
               {"get_time", "", "", false}};
    c.choice = {tool_choice::kind::function, "get_weather"};
    c.parallel_tool_calls = false;
    c.stream = true;
    auto obs = run(*p, c);
    ASSERT_EQ(up.requests(), 1);
    const auto body = json::parse(up.seen()[0].body);
    EXPECT_EQ(body["tools"], json::parse(R"([
        {"name":"get_weather","description":"Weather in a city","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}},
        {"name":"get_time","input_schema":{"type":"object"}}])"));
    EXPECT_EQ(body["tool_choice"], json::parse(R"({"type":"tool","name":"get_weather","disable_parallel_tool_use":true})"));
    const auto & m = body["messages"];
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[1]["role"], "assistant");
    EXPECT_EQ(m[1]["content"], json::parse(R"([{"type":"text","text":"Checking."},
        {"type":"tool_use","id":"call_1","name":"get_weather","input":{"location":"SF"}},
        {"type":"tool_use","id":"call_2","name":"get_time","input":{}}])"));
    EXPECT_EQ(m[2]["role"], "user");
    EXPECT_EQ(m[2]["content"], json::parse(R"([{"type":"tool_result","tool_use_id":"call_1","content":"18 C"},
        {"type":"tool_result","tool_use_id":"call_2","content":"14:05"},{"type":"text","text":"And tomorrow?"}])"));
}

TEST_F(anthropic_test, a_recorded_tool_use_stream_becomes_tool_call_deltas) {
    fault_upstream up(recorded_stream("stream_tool_use.sse"));
    auto p = make("claude", up.url() + "/v1");
    auto c = call();
    c.tools = {{"get_weather", "", "", false}};
    auto obs = run(*p, c);
    ASSERT_FALSE(obs->end().failure.has_value()) << obs->end().failure->message;
    EXPECT_EQ(obs->end().finish_reason, "tool_calls");
    EXPECT_EQ(obs->text(), "Checking the weather.");
    providers::tool_call_collector calls;
    for (const auto & d : obs->deltas()) {
        for (const auto & t : d.tool_calls) {
            calls.add(t);
        }
    }
    ASSERT_EQ(calls.calls().size(), 2u);
    EXPECT_EQ(calls.calls()[0].id, "toolu_01T1x1fJ34qAmk2tNTrN7Up6");
    EXPECT_EQ(calls.calls()[0].name, "get_weather");
    EXPECT_EQ(json::parse(calls.calls()[0].arguments), json::parse(R"({"location":"San Francisco, CA"})"));
    EXPECT_EQ(calls.calls()[1].name, "get_time");
    EXPECT_EQ(json::parse(calls.calls()[1].arguments), json::parse(R"({"zone":"PST"})"));
    EXPECT_EQ(obs->end().tokens.completion_tokens, 89);
}

TEST_F(anthropic_test, a_recorded_tool_use_message_becomes_whole_tool_calls) {
    const std::string message = data_file("message_tool_use.json");
    fault_upstream up([message](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::respond(s, 200, message);
    });
    auto p = make("claude", up.url() + "/v1");
    auto obs = run(*p, call());
    ASSERT_FALSE(obs->end().failure.has_value());
    EXPECT_EQ(obs->end().finish_reason, "tool_calls");
    const auto deltas = obs->deltas();
    ASSERT_EQ(deltas.size(), 1u);
    const auto & d = deltas[0];
    EXPECT_EQ(d.content, "I'll check.");
    ASSERT_EQ(d.tool_calls.size(), 1u);
    EXPECT_EQ(d.tool_calls[0].id, "toolu_01A09q90qw90lq917835lq9");
    EXPECT_EQ(json::parse(d.tool_calls[0].arguments), json::parse(R"({"location":"San Francisco, CA","unit":"celsius"})"));
}

}  // namespace
}  // namespace tiergate::testing
