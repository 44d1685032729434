// The Anthropic Messages API edge: request bodies become the shared typed
// call; answers are written as Anthropic messages and event streams.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/anthropic_observers.h"
#include "api/anthropic_parse.h"

using namespace tiergate;
using namespace tiergate::api;
using nlohmann::json;

namespace {

error refused(const std::string & body) {
    auto r = parse_messages_request(body);
    EXPECT_FALSE(r.ok()) << body;
    return r.ok() ? error{} : r.err();
}

// A responder that keeps what was written.
class recording_responder final : public responder {
  public:
    void send(int status, std::string body, header_list, std::string) override {
        status_ = status;
        body_ = std::move(body);
    }
    void start_stream(header_list) override { status_ = 200; }
    void stream(std::string bytes) override { body_ += bytes; }
    void end_stream() override { ended_ = true; }
    bool alive() const override { return true; }
    std::shared_ptr<std::atomic<bool>> gone_flag() const override { return gone_; }

    int status_ = 0;
    std::string body_;
    bool ended_ = false;
    std::shared_ptr<std::atomic<bool>> gone_ = std::make_shared<std::atomic<bool>>(false);
};

// "event: x\ndata: {...}\n\n" -> the data objects, checking event == data.type
std::vector<json> events(const std::string & raw) {
    std::vector<json> out;
    size_t at = 0;
    while (at < raw.size()) {
        const size_t end = raw.find("\n\n", at);
        EXPECT_NE(end, std::string::npos);
        const std::string ev = raw.substr(at, end - at);
        const size_t nl = ev.find('\n');
        EXPECT_EQ(ev.rfind("event: ", 0), 0u) << ev;
        EXPECT_EQ(ev.substr(nl + 1, 6), "data: ") << ev;
        json data = json::parse(ev.substr(nl + 7));
        EXPECT_EQ(ev.substr(7, nl - 7), data["type"]) << ev;
        out.push_back(std::move(data));
        at = end + 2;
    }
    return out;
}

}  // namespace

TEST(anthropic_parse, a_full_request_becomes_the_typed_call) {
    auto r = parse_messages_request(R"({
        "model":"m","max_tokens":64,"system":[{"type":"text","text":"be brief"}],
        "messages":[{"role":"user","content":"Weather in Paris?"},
          {"role":"assistant","content":[{"type":"text","text":"Checking."},
             {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"18 C"}]},
             {"type":"text","text":"and tomorrow?"}]}],
        "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object"}}],
        "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
        "stop_sequences":["END"],"temperature":0.5,"top_p":0.9,"top_k":40,"metadata":{"user_id":"u1"},"stream":true})");
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->model, "m");
    EXPECT_EQ(*r->params.max_tokens, 64);
    EXPECT_EQ(r->params.stop, std::vector<std::string>{"END"});
    EXPECT_EQ(*r->params.top_k, 40);
    EXPECT_EQ(r->params.user, "u1");
    EXPECT_TRUE(r->stream);
    EXPECT_TRUE(r->include_usage);
    ASSERT_EQ(r->messages.size(), 5u);
    EXPECT_EQ(r->messages[0].role, "system");
    EXPECT_EQ(r->messages[0].content, "be brief");
    EXPECT_EQ(r->messages[2].role, "assistant");
    EXPECT_EQ(r->messages[2].content, "Checking.");
    ASSERT_EQ(r->messages[2].tool_calls.size(), 1u);
    EXPECT_EQ(r->messages[2].tool_calls[0].arguments, R"({"city":"Paris"})");
    EXPECT_EQ(r->messages[3].role, "tool");
    EXPECT_EQ(r->messages[3].tool_call_id, "toolu_1");
    EXPECT_EQ(r->messages[3].content, "18 C");
    EXPECT_EQ(r->messages[4].role, "user");
    EXPECT_EQ(r->messages[4].content, "and tomorrow?");
    ASSERT_EQ(r->tools.size(), 1u);
    EXPECT_EQ(r->tools[0].parameters_json, R"({"type":"object"})");
    EXPECT_EQ(r->choice.type, tool_choice::kind::function);
    EXPECT_EQ(r->choice.function, "get_weather");
    EXPECT_EQ(r->parallel_tool_calls, false);
}

TEST(anthropic_parse, bad_bodies_name_what_is_wrong) {
    const std::string msgs = R"("messages":[{"role":"user","content":"hi"}])";
    // a "type" of the wrong JSON type is refused, not thrown
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"system":[{"type":[1]}],)" + msgs + "}").param, "system[0]");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"messages":[{"role":"user","content":[{"type":"image","source":{"type":{}}}]}]})")
                  .param.rfind("messages[0].content[0].source", 0),
              0u);
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"tool_choice":{"type":7},)" + msgs + "}").param.rfind("tool_choice", 0), 0u);
    EXPECT_EQ(refused(R"({"model":"m",)" + msgs + "}").param, "max_tokens");
    EXPECT_TRUE(parse_messages_request(R"({"model":"m",)" + msgs + "}", true).ok());  // count_tokens
    EXPECT_EQ(refused(R"({"max_tokens":4,)" + msgs + "}").param, "model");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":0,)" + msgs + "}").param, "max_tokens");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":"4",)" + msgs + "}").param, "max_tokens");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"temperature":1.5,)" + msgs + "}").param, "temperature");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"messages":[{"role":"system","content":"x"}]})").param,
              "messages[0].role");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"messages":[{"role":"user","content":[{"type":"image","source":{}}]}]})")
                  .param,
              "messages[0].content[0].source");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"messages":[{"role":"user","content":[{"type":"document","source":{}}]}]})")
                  .param,
              "messages[0].content[0].type");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"messages":[{"role":"user","content":[{"type":"tool_use","id":"a","name":"f","input":{}}]}]})")
                  .param,
              "messages[0].content[0].type");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"f","input":"x"}]}]})")
                  .param,
              "messages[0].content[0].input");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"none"}]}]})")
                  .param,
              "messages");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"tools":[{"name":"f"}],)" + msgs + "}").param,
              "tools[0].input_schema");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"tools":[{"name":"f","input_schema":{}},{"name":"f","input_schema":{}}],)" +
                      msgs + "}")
                  .param,
              "tools[1].name");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"tool_choice":{"type":"any"},)" + msgs + "}").param, "tool_choice");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"tools":[{"type":"web_search_20250305","name":"w"}],)" + msgs + "}")
                  .param,
              "tools[0].type");
    EXPECT_EQ(refused(R"({"model":"m","max_tokens":4,"thinking":{"type":"enabled"},)" + msgs + "}").param, "thinking");
    EXPECT_EQ(refused("{\"model\":\"m\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"\xff\"}]}").code,
              "invalid_utf8");
    EXPECT_EQ(refused("[1]").code, "invalid_json");
}

TEST(anthropic_parse, image_blocks_become_image_parts) {
    auto r = parse_messages_request(R"({"model":"m","max_tokens":4,"messages":[{"role":"user","content":[
        {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0K"}},
        {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}},
        {"type":"text","text":"What are these?"}]}]})");
    ASSERT_TRUE(r.ok()) << r.err().message;
    const auto & m = r->messages[0];
    EXPECT_EQ(m.content, "What are these?");
    ASSERT_EQ(m.parts.size(), 3u);
    EXPECT_EQ(m.parts[0].url, "data:image/png;base64,iVBORw0K");
    EXPECT_EQ(m.parts[1].url, "https://example.com/a.jpg");
    EXPECT_EQ(m.parts[2].text, "What are these?");
}

TEST(anthropic_format, a_streamed_answer_is_framed_block_by_block) {
    auto r = std::make_shared<recording_responder>();
    auto route = std::make_shared<gateway::response_route>(gateway::response_route{"mid", "up", "pinned:up"});
    auto obs = make_anthropic_observer(r, response_meta{"msg-1", 0, "up"}, route, true);
    obs->on_delta(generation_delta{"Let me ", {}, {}, {}});
    obs->on_delta(generation_delta{"check.", {}, {}, {}});
    obs->on_delta(generation_delta{"", {{0, "call_a", "get_weather", ""}}, {}, {}});
    obs->on_delta(generation_delta{"", {{0, "", "", "{\"city\":"}}, {}, {}});
    obs->on_delta(generation_delta{"", {{0, "", "", "\"Paris\"}"}, {1, "call_b", "get_time", "{}"}}, {}, {}});
    generation_end end;
    end.finish_reason = "tool_calls";
    end.tokens = {12, 7, 0};
    obs->on_end(std::move(end));
    EXPECT_TRUE(r->ended_);
    const auto ev = events(r->body_);
    std::vector<std::string> types;
    for (const auto & e : ev) {
        types.push_back(e["type"]);
    }
    EXPECT_EQ(types, (std::vector<std::string>{"message_start", "ping", "content_block_start", "content_block_delta",
                                               "content_block_delta", "content_block_stop", "content_block_start",
                                               "content_block_delta", "content_block_delta", "content_block_stop",
                                               "content_block_start", "content_block_delta", "content_block_stop",
                                               "message_delta", "message_stop"}));
    EXPECT_EQ(ev[0]["message"]["id"], "msg-1");
    EXPECT_EQ(ev[0]["message"]["model"], "up");
    EXPECT_EQ(ev[2]["content_block"], json::parse(R"({"type":"text","text":""})"));
    EXPECT_EQ(ev[3]["delta"], json::parse(R"({"type":"text_delta","text":"Let me "})"));
    EXPECT_EQ(ev[6]["index"], 1);
    EXPECT_EQ(ev[6]["content_block"],
              json::parse(R"({"type":"tool_use","id":"call_a","name":"get_weather","input":{}})"));
    EXPECT_EQ(ev[7]["delta"], json::parse(R"({"type":"input_json_delta","partial_json":"{\"city\":"})"));
    EXPECT_EQ(ev[10]["index"], 2);
    EXPECT_EQ(ev[10]["content_block"]["name"], "get_time");
    EXPECT_EQ(ev[13]["delta"]["stop_reason"], "tool_use");
    EXPECT_EQ(ev[13]["usage"], json::parse(R"({"input_tokens":12,"output_tokens":7})"));
}

TEST(anthropic_format, a_whole_answer_and_errors) {
    auto r = std::make_shared<recording_responder>();
    auto route = std::make_shared<gateway::response_route>(gateway::response_route{"slm", "s", "pinned:s"});
    auto obs = make_anthropic_observer(r, response_meta{"msg-2", 0, "s"}, route, false);
    obs->on_delta(generation_delta{"", {{0, "call_a", "f", "{\"a\":"}}, {}, {}});
    obs->on_delta(generation_delta{"", {{0, "", "", "1}"}}, {}, {}});
    generation_end end;
    end.finish_reason = "tool_calls";
    end.tokens = {3, 2, 0};
    obs->on_end(std::move(end));
    EXPECT_EQ(r->status_, 200);
    const json m = json::parse(r->body_);
    EXPECT_EQ(m["type"], "message");
    EXPECT_EQ(m["stop_reason"], "tool_use");
    EXPECT_EQ(m["content"], json::parse(R"([{"type":"tool_use","id":"call_a","name":"f","input":{"a":1}}])"));
    EXPECT_EQ(m["usage"]["input_tokens"], 3);

    auto failed = std::make_shared<recording_responder>();
    auto obs2 = make_anthropic_observer(failed, response_meta{"msg-3", 0, "s"}, route, true);
    generation_end bad;
    bad.failure = error{error_kind::rate_limited, "budget exhausted", "", "budget_exhausted", 30};
    obs2->on_end(std::move(bad));
    EXPECT_EQ(failed->status_, 429);
    EXPECT_EQ(json::parse(failed->body_),
              json::parse(R"({"type":"error","error":{"type":"rate_limit_error","message":"budget exhausted"}})"));
}
