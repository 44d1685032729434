// The OpenAI-compatible provider and the fallback chain against an upstream
// that injects faults: each mode ends in an answer through a fallback or a
// clear error, exactly one on_end, the expected number of upstream requests.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "fault_upstream.h"
#include "providers/fallback_chain.h"
#include "providers/make_remote_provider.h"
#include "recording_observer.h"
#include "test_models.h"

namespace tiergate::testing {
namespace {

using json = nlohmann::json;
using tcp = boost::asio::ip::tcp;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

std::string chat_chunk(const std::string & content, const char * finish = nullptr) {
    json delta = json::object();
    if (!content.empty()) {
        delta["content"] = content;
    }
    json choice = {{"index", 0}, {"delta", delta}, {"finish_reason", finish ? json(finish) : json(nullptr)}};
    json j = {{"id", "chatcmpl-1"}, {"object", "chat.completion.chunk"}, {"model", "upstream-model"},
              {"choices", json::array({choice})}};
    return "data: " + j.dump() + "\n\n";
}

const std::string role_chunk =
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
    "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";
const std::string usage_chunk =
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
    "{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":1}}}\n\n";
const std::string done_chunk = "data: [DONE]\n\n";

void good_stream(tcp::socket & s) {
    fault_upstream::start_sse(s);
    fault_upstream::chunk(s, ": keep-alive\n\n" + role_chunk);
    fault_upstream::chunk(s, chat_chunk("Hel"));
    fault_upstream::chunk(s, chat_chunk("lo"));
    fault_upstream::chunk(s, chat_chunk("", "stop") + usage_chunk);
    fault_upstream::chunk(s, done_chunk);
    fault_upstream::end_chunks(s);
}

upstream_script always_good() {
    return [](tcp::socket & s, const upstream_request &, int, fault_upstream &) { good_stream(s); };
}

upstream_script always_status(int status, std::string extra_headers = "") {
    return [status, extra_headers](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::respond(s, status, R"({"error":{"message":"injected failure","type":"server_error"}})",
                                extra_headers);
    };
}

class remote_test : public ::testing::Test {
  protected:
    void SetUp() override { context_ = providers::remote_context::make({100, 30'000ms}); }

    std::unique_ptr<providers::provider> make(const config::model_config & m) {
        auto p = providers::make_remote_provider(m, context_);
        EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.err().message);
        return p.ok() ? std::move(*p) : nullptr;
    }

    static generation_call chat(bool stream = true) {
        generation_call c;
        c.model = "client-name";
        c.messages = {{"user", "hi", ""}};
        c.stream = stream;
        return c;
    }

    static std::shared_ptr<recording_observer> run(providers::provider & p, const generation_call & c,
                                                   bool whole_answer = false) {
        return run_call(p, c, whole_answer);
    }

    providers::remote_context context_;
};

TEST_F(remote_test, streams_deltas_as_they_arrive_with_upstream_usage_and_key) {
    fault_upstream up(always_good());
    auto m = remote_model("m1", up.url() + "/v1");
    m.remote->api_key_env = "TEST_UPSTREAM_KEY";
    context_.env = config::fixed_env({{"TEST_UPSTREAM_KEY", "sk-test-123"}});
    auto p = make(m);
    auto c = chat();
    c.params.max_tokens = 7;
    c.params.temperature = 0.5f;
    c.params.stop = {"END"};
    auto obs = run(*p, c);

    EXPECT_EQ(obs->ends(), 1);
    auto end = obs->end();
    EXPECT_FALSE(end.failure.has_value());
    EXPECT_EQ(obs->text(), "Hello");
    EXPECT_EQ(obs->deltas().size(), 2u);
    EXPECT_EQ(end.finish_reason, "stop");
    EXPECT_EQ(end.model, "m1");
    EXPECT_EQ(end.tokens.prompt_tokens, 5);
    EXPECT_EQ(end.tokens.completion_tokens, 2);
    EXPECT_EQ(end.tokens.cached_tokens, 1);
    EXPECT_GT(end.ttft_ms, 0.0);
    EXPECT_GE(end.total_ms, end.ttft_ms);
    ASSERT_EQ(up.requests(), 1);
    auto req = up.seen()[0];
    EXPECT_EQ(req.target, "/v1/chat/completions");
    EXPECT_EQ(req.headers["authorization"], "Bearer sk-test-123");
    auto body = json::parse(req.body);
    EXPECT_EQ(body["model"], "m1");
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["stream_options"]["include_usage"], true);
    EXPECT_EQ(body["messages"][0]["content"], "hi");
    EXPECT_EQ(body["max_tokens"], 7);
    EXPECT_EQ(body["stop"][0], "END");
    EXPECT_FLOAT_EQ(body["temperature"].get<float>(), 0.5f);
    auto attempts = obs->attempts();
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].status, 200);
    EXPECT_FALSE(attempts[0].failure.has_value());
}

TEST_F(remote_test, missing_key_fails_without_a_request) {
    fault_upstream up(always_good());
    auto m = remote_model("m1", up.url());
    m.remote->api_key_env = "TEST_UNSET_KEY";
    context_.env = config::fixed_env({});
    auto p = make(m);
    auto obs = run(*p, chat());
    EXPECT_EQ(obs->ends(), 1);
    ASSERT_TRUE(obs->end().failure.has_value());
    EXPECT_EQ(obs->end().failure->code, "missing_api_key");
    EXPECT_EQ(up.requests(), 0);
}

TEST_F(remote_test, whole_json_answer_with_logprobs_for_completions) {
    fault_upstream up([](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        json body = {{"id", "cmpl-1"},
                     {"object", "text_completion"},
                     {"choices",
                      {{{"index", 0},
                        {"text", "ab"},
                        {"finish_reason", "length"},
                        {"logprobs",
                         {{"tokens", {"a", "b"}},
                          {"token_logprobs", {-0.5, -1.5}},
                          {"top_logprobs", {{{"a", -0.5}, {"x", -2.0}}, {{"b", -1.5}}}}}}}}},
                     {"usage", {{"prompt_tokens", 3}, {"completion_tokens", 2}}}};
        fault_upstream::respond(s, 200, body.dump());
    });
    auto p = make(remote_model("m1", up.url()));
    generation_call c;
    c.kind = request_kind::completion;
    c.prompt = "abc";
    c.params.logprobs = true;
    c.params.top_logprobs = 2;
    auto obs = run(*p, c);
    EXPECT_EQ(obs->ends(), 1);
    EXPECT_FALSE(obs->end().failure.has_value());
    EXPECT_EQ(obs->text(), "ab");
    EXPECT_EQ(obs->end().finish_reason, "length");
    EXPECT_EQ(obs->end().tokens.prompt_tokens, 3);
    auto deltas = obs->deltas();
    ASSERT_EQ(deltas.size(), 1u);
    ASSERT_EQ(deltas[0].logprobs.size(), 2u);
    EXPECT_EQ(deltas[0].logprobs[0].token, "a");
    EXPECT_FLOAT_EQ(deltas[0].logprobs[1].logprob, -1.5f);
    EXPECT_EQ(deltas[0].logprobs[0].top.size(), 2u);
    auto body = json::parse(up.seen()[0].body);
    EXPECT_EQ(up.seen()[0].target, "/completions");
    EXPECT_EQ(body["prompt"], "abc");
    EXPECT_EQ(body["logprobs"], 2);
}

TEST_F(remote_test, chat_logprobs_are_mapped_from_stream_chunks) {
    fault_upstream up([](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        json chunk = {{"choices",
                       {{{"index", 0},
                         {"delta", {{"content", "Hi"}}},
                         {"logprobs",
                          {{"content",
                            {{{"token", "Hi"}, {"logprob", -0.25}, {"top_logprobs", {{{"token", "Hi"}, {"logprob", -0.25}}}}}}}}},
                         {"finish_reason", "stop"}}}}};
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, "data: " + chunk.dump() + "\n\n" + done_chunk);
        fault_upstream::end_chunks(s);
    });
    auto p = make(remote_model("m1", up.url()));
    auto c = chat();
    c.params.logprobs = true;
    c.params.top_logprobs = 1;
    auto obs = run(*p, c);
    auto deltas = obs->deltas();
    ASSERT_EQ(deltas.size(), 1u);
    ASSERT_EQ(deltas[0].logprobs.size(), 1u);
    EXPECT_EQ(deltas[0].logprobs[0].token, "Hi");
    EXPECT_FLOAT_EQ(deltas[0].logprobs[0].logprob, -0.25f);
    ASSERT_EQ(deltas[0].logprobs[0].top.size(), 1u);
    auto body = json::parse(up.seen()[0].body);
    EXPECT_EQ(body["logprobs"], true);
    EXPECT_EQ(body["top_logprobs"], 1);
}

TEST_F(remote_test, usage_is_estimated_when_the_upstream_reports_none) {
    fault_upstream up([](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, chat_chunk("abcdefgh") + chat_chunk("", "stop") + done_chunk);
        fault_upstream::end_chunks(s);
    });
    auto p = make(remote_model("m1", up.url()));
    auto c = chat();
    c.messages = {{"system", "12345", ""}, {"user", "678", ""}};
    auto obs = run(*p, c);
    EXPECT_FALSE(obs->end().failure.has_value());
    EXPECT_EQ(obs->end().tokens.prompt_tokens, 2);      // 8 bytes / 4
    EXPECT_EQ(obs->end().tokens.completion_tokens, 2);  // 8 bytes / 4
}

TEST_F(remote_test, rate_limit_honours_retry_after_then_succeeds) {
    fault_upstream up([](tcp::socket & s, const upstream_request &, int index, fault_upstream &) {
        if (index == 0) {
            fault_upstream::respond(s, 429, R"({"error":{"message":"slow down"}})", "Retry-After: 1\r\n");
        } else {
            good_stream(s);
        }
    });
    auto p = make(remote_model("m1", up.url(), config::provider_kind::openai_compatible, 2));
    const auto t0 = clock_type::now();
    auto obs = run(*p, chat());
    const auto waited = clock_type::now() - t0;
    EXPECT_EQ(obs->ends(), 1);
    EXPECT_FALSE(obs->end().failure.has_value());
    EXPECT_EQ(obs->text(), "Hello");
    EXPECT_EQ(up.requests(), 2);
    EXPECT_GE(waited, 950ms);
    auto attempts = obs->attempts();
    ASSERT_EQ(attempts.size(), 2u);
    EXPECT_EQ(attempts[0].status, 429);
    ASSERT_TRUE(attempts[0].failure.has_value());
    EXPECT_EQ(attempts[0].failure->kind, error_kind::rate_limited);
    EXPECT_EQ(attempts[1].attempt, 2);
}

TEST_F(remote_test, rate_limited_everywhere_is_429_with_retry_after) {
    fault_upstream a(always_status(429, "Retry-After: 7\r\n"));
    fault_upstream b(always_status(429, "Retry-After: 9\r\n"));
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 3));
    auto pb = make(remote_model("fallback", b.url(), config::provider_kind::openai_compatible, 3));
    providers::fallback_chain chain(*pa, {pb.get()});
    auto obs = run(chain, chat());
    EXPECT_EQ(obs->ends(), 1);
    auto end = obs->end();
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.failure->kind, error_kind::rate_limited);
    EXPECT_EQ(http_status(end.failure->kind), 429);
    EXPECT_EQ(end.failure->retry_after_s, 7);
    // a Retry-After longer than the attempt's total limit is not waited for
    EXPECT_EQ(a.requests(), 1);
    EXPECT_EQ(b.requests(), 1);
    EXPECT_TRUE(obs->text().empty());
}

TEST_F(remote_test, server_errors_are_retried_then_the_fallback_answers) {
    fault_upstream a(always_status(500));
    fault_upstream b(always_good());
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 3));
    auto pb = make(remote_model("fallback", b.url()));
    std::vector<providers::attempt_record> reported;
    providers::fallback_chain chain(*pa, {pb.get()},
                                    [&](const std::vector<providers::attempt_record> & r) { reported = r; });
    auto obs = run(chain, chat());
    EXPECT_EQ(obs->ends(), 1);
    EXPECT_FALSE(obs->end().failure.has_value());
    EXPECT_EQ(obs->text(), "Hello");
    EXPECT_EQ(obs->end().model, "fallback");
    EXPECT_EQ(a.requests(), 3);
    EXPECT_EQ(b.requests(), 1);
    ASSERT_EQ(reported.size(), 4u);
    EXPECT_EQ(obs->attempts().size(), 4u);
    EXPECT_EQ(reported[0].model, "primary");
    EXPECT_EQ(reported[0].status, 500);
    EXPECT_EQ(reported[2].attempt, 3);
    EXPECT_EQ(reported[3].model, "fallback");
    EXPECT_FALSE(reported[3].failure.has_value());
}

TEST_F(remote_test, connection_refused_everywhere_is_502_listing_each_attempt) {
    const auto port_a = closed_port();
    const auto port_b = closed_port();
    auto pa = make(remote_model("primary", "http://127.0.0.1:" + std::to_string(port_a),
                                config::provider_kind::openai_compatible, 2));
    auto pb = make(remote_model("fallback", "http://127.0.0.1:" + std::to_string(port_b)));
    providers::fallback_chain chain(*pa, {pb.get()});
    auto obs = run(chain, chat());
    EXPECT_EQ(obs->ends(), 1);
    auto end = obs->end();
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.finish_reason, "error");
    EXPECT_EQ(end.failure->kind, error_kind::upstream);
    EXPECT_EQ(http_status(end.failure->kind), 502);
    EXPECT_NE(end.failure->message.find("primary#1"), std::string::npos) << end.failure->message;
    EXPECT_NE(end.failure->message.find("primary#2"), std::string::npos) << end.failure->message;
    EXPECT_NE(end.failure->message.find("fallback#1"), std::string::npos) << end.failure->message;
    EXPECT_NE(end.failure->message.find("cannot connect"), std::string::npos) << end.failure->message;
    EXPECT_EQ(obs->attempts().size(), 3u);
    EXPECT_TRUE(obs->deltas().empty());
}

TEST_F(remote_test, reset_before_content_is_retried_then_fails_over_invisibly) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, role_chunk);
        fault_upstream::reset(s);
    });
    fault_upstream b(always_good());
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 2));
    auto pb = make(remote_model("fallback", b.url()));
    providers::fallback_chain chain(*pa, {pb.get()});
    auto obs = run(chain, chat());
    EXPECT_EQ(obs->ends(), 1);
    EXPECT_FALSE(obs->end().failure.has_value());
    EXPECT_EQ(obs->text(), "Hello");
    EXPECT_EQ(obs->deltas().size(), 2u);
    EXPECT_EQ(a.requests(), 2);
    EXPECT_EQ(b.requests(), 1);
}

TEST_F(remote_test, reset_after_content_ends_with_a_failure_and_no_fallback) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream & server) {
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, chat_chunk("Hel"));
        server.pause(50ms);
        fault_upstream::reset(s);
    });
    fault_upstream b(always_good());
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 3));
    auto pb = make(remote_model("fallback", b.url()));
    providers::fallback_chain chain(*pa, {pb.get()});
    auto obs = run(chain, chat());
    EXPECT_EQ(obs->ends(), 1);
    auto end = obs->end();
    EXPECT_EQ(obs->text(), "Hel");
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.finish_reason, "error");
    EXPECT_EQ(end.failure->kind, error_kind::upstream);
    EXPECT_EQ(end.model, "primary");
    EXPECT_EQ(a.requests(), 1);
    EXPECT_EQ(b.requests(), 0);
}

TEST_F(remote_test, stall_before_the_first_byte_is_a_504_without_retry) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream & server) {
        server.pause(3s);
    });
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 3));
    const auto t0 = clock_type::now();
    auto obs = run(*pa, chat());
    EXPECT_LT(clock_type::now() - t0, 2s);
    EXPECT_EQ(obs->ends(), 1);
    auto end = obs->end();
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.failure->kind, error_kind::timeout);
    EXPECT_EQ(http_status(end.failure->kind), 504);
    EXPECT_EQ(end.failure->code, "upstream_first_byte_timeout");
    EXPECT_EQ(a.requests(), 1);
}

TEST_F(remote_test, stall_before_the_first_byte_fails_over) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream & server) {
        fault_upstream::start_sse(s);  // headers, then nothing
        server.pause(3s);
    });
    fault_upstream b(always_good());
    auto pa = make(remote_model("primary", a.url()));
    auto pb = make(remote_model("fallback", b.url()));
    providers::fallback_chain chain(*pa, {pb.get()});
    auto obs = run(chain, chat());
    EXPECT_EQ(obs->ends(), 1);
    EXPECT_FALSE(obs->end().failure.has_value());
    EXPECT_EQ(obs->text(), "Hello");
    EXPECT_EQ(a.requests(), 1);
    EXPECT_EQ(b.requests(), 1);
    auto attempts = obs->attempts();
    ASSERT_EQ(attempts.size(), 2u);
    ASSERT_TRUE(attempts[0].failure.has_value());
    EXPECT_EQ(attempts[0].failure->kind, error_kind::timeout);
}

TEST_F(remote_test, stall_mid_stream_ends_with_an_idle_timeout) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream & server) {
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, chat_chunk("Hel"));
        server.pause(3s);
    });
    fault_upstream b(always_good());
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 2));
    auto pb = make(remote_model("fallback", b.url()));
    providers::fallback_chain chain(*pa, {pb.get()});
    auto obs = run(chain, chat());
    EXPECT_EQ(obs->ends(), 1);
    auto end = obs->end();
    EXPECT_EQ(obs->text(), "Hel");
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.failure->kind, error_kind::timeout);
    EXPECT_EQ(end.failure->code, "upstream_idle_timeout");
    EXPECT_EQ(a.requests(), 1);
    EXPECT_EQ(b.requests(), 0);
}

// A client of a whole answer has seen nothing of it: an answer that breaks
// after its first deltas is taken back and begun again by the fallback
// (a streaming client keeps what it got and hears the error instead).
TEST_F(remote_test, whole_answer_broken_mid_stream_is_begun_again_by_the_fallback) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, role_chunk + chat_chunk("Hel"));
        fault_upstream::end_chunks(s);  // no finish, no [DONE]: truncated
    });
    fault_upstream b(always_good());
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 1));
    auto pb = make(remote_model("fallback", b.url()));
    providers::fallback_chain chain(*pa, {pb.get()});

    auto whole = run(chain, chat(), true);
    EXPECT_EQ(whole->ends(), 1);
    EXPECT_FALSE(whole->end().failure.has_value());
    EXPECT_EQ(whole->text(), "Hello");
    EXPECT_EQ(whole->retracts(), 1);
    EXPECT_EQ(whole->end().model, "fallback");
    ASSERT_EQ(whole->attempts().size(), 2u);
    EXPECT_TRUE(whole->attempts()[0].failure.has_value());
    EXPECT_FALSE(whole->attempts()[1].failure.has_value());

    auto streamed = run(chain, chat(), false);
    EXPECT_EQ(streamed->ends(), 1);
    ASSERT_TRUE(streamed->end().failure.has_value());
    EXPECT_EQ(streamed->end().failure->code, "upstream_invalid_response");
    EXPECT_EQ(streamed->text(), "Hel");
    EXPECT_EQ(streamed->retracts(), 0);
    EXPECT_EQ(b.requests(), 1);  // only the whole answer went to the fallback
}

TEST_F(remote_test, whole_answer_cut_by_a_reset_is_retried_on_the_same_model) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int n, fault_upstream &) {
        if (n == 0) {
            fault_upstream::start_sse(s);
            fault_upstream::chunk(s, role_chunk + chat_chunk("Hel"));
            fault_upstream::reset(s);
            return;
        }
        good_stream(s);
    });
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 2));
    auto obs = run(*pa, chat(), true);
    EXPECT_EQ(obs->ends(), 1);
    EXPECT_FALSE(obs->end().failure.has_value()) << obs->end().failure->message;
    EXPECT_EQ(obs->text(), "Hello");
    EXPECT_EQ(obs->retracts(), 1);
    EXPECT_EQ(a.requests(), 2);
}

TEST_F(remote_test, truncated_stream_fails_over) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, role_chunk + "data: {\"id\":\"chatcmpl-1\",\"cho");
        fault_upstream::end_chunks(s);
    });
    fault_upstream b(always_good());
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 2));
    auto pb = make(remote_model("fallback", b.url()));
    providers::fallback_chain chain(*pa, {pb.get()});
    auto obs = run(chain, chat());
    EXPECT_EQ(obs->ends(), 1);
    EXPECT_FALSE(obs->end().failure.has_value());
    EXPECT_EQ(obs->text(), "Hello");
    EXPECT_EQ(a.requests(), 1);
    EXPECT_EQ(b.requests(), 1);
    auto attempts = obs->attempts();
    ASSERT_GE(attempts.size(), 1u);
    ASSERT_TRUE(attempts[0].failure.has_value());
    EXPECT_NE(attempts[0].failure->message.find("truncated"), std::string::npos);
}

TEST_F(remote_test, invalid_json_is_a_clear_502_and_not_retried) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, "data: {not json}\n\n");
        fault_upstream::end_chunks(s);
    });
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 3));
    auto obs = run(*pa, chat());
    EXPECT_EQ(obs->ends(), 1);
    auto end = obs->end();
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.failure->kind, error_kind::upstream);
    EXPECT_EQ(http_status(end.failure->kind), 502);
    EXPECT_EQ(end.failure->code, "upstream_invalid_response");
    EXPECT_EQ(a.requests(), 1);
}

TEST_F(remote_test, wrongly_typed_fields_are_an_invalid_response_not_a_crash) {
    // valid JSON, wrong types where numbers and strings belong, streamed and whole
    fault_upstream a([](tcp::socket & s, const upstream_request &, int n, fault_upstream &) {
        if (n % 2 == 0) {
            fault_upstream::start_sse(s);
            fault_upstream::chunk(s, R"(data: {"choices":[{"index":"0","delta":{"content":7}}]})"
                                     "\n\n");
            fault_upstream::end_chunks(s);
        } else {
            fault_upstream::respond(s, 200, R"({"choices":[{"index":0,"message":{"content":"x"}}],)"
                                            R"("usage":{"prompt_tokens":"3","completion_tokens":[1]}})");
        }
    });
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 1));
    for (int i = 0; i < 2; ++i) {
        auto obs = run(*pa, chat());
        EXPECT_EQ(obs->ends(), 1);
        auto end = obs->end();
        ASSERT_TRUE(end.failure.has_value()) << i;
        EXPECT_EQ(end.failure->code, "upstream_invalid_response") << i << ": " << end.failure->message;
    }
}

TEST_F(remote_test, error_status_body_is_quoted_and_4xx_is_not_retried) {
    fault_upstream a(always_status(400));
    auto pa = make(remote_model("primary", a.url(), config::provider_kind::openai_compatible, 3));
    auto obs = run(*pa, chat());
    auto end = obs->end();
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.failure->kind, error_kind::invalid_request);
    EXPECT_NE(end.failure->message.find("injected failure"), std::string::npos);
    EXPECT_EQ(a.requests(), 1);
}

TEST_F(remote_test, circuit_breaker_opens_skips_the_upstream_and_recovers) {
    context_ = providers::remote_context::make({2, 400ms});
    std::atomic<bool> healthy{false};
    fault_upstream a([&](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        if (healthy) {
            good_stream(s);
        } else {
            fault_upstream::respond(s, 503, R"({"error":{"message":"down"}})");
        }
    });
    fault_upstream b(always_good());
    auto pa = make(remote_model("primary", a.url()));
    auto pb = make(remote_model("fallback", b.url()));
    auto breaker = context_.breakers->get(providers::parse_endpoint_url(a.url())->origin());

    for (int i = 0; i < 2; ++i) {
        auto obs = run(*pa, chat());
        ASSERT_TRUE(obs->end().failure.has_value());
        EXPECT_EQ(obs->end().failure->kind, error_kind::upstream);
    }
    EXPECT_EQ(a.requests(), 2);
    EXPECT_EQ(breaker->state(), providers::circuit_state::open);

    // open: refused without a request, and the chain goes straight to the fallback
    auto refused = run(*pa, chat());
    ASSERT_TRUE(refused->end().failure.has_value());
    EXPECT_EQ(refused->end().failure->code, "circuit_open");
    providers::fallback_chain chain(*pa, {pb.get()});
    auto via_fallback = run(chain, chat());
    EXPECT_FALSE(via_fallback->end().failure.has_value());
    EXPECT_EQ(via_fallback->end().model, "fallback");
    EXPECT_EQ(a.requests(), 2);

    // after the cool-down one probe goes through; it succeeds and closes the breaker
    healthy = true;
    std::this_thread::sleep_for(450ms);
    auto probe = run(*pa, chat());
    EXPECT_FALSE(probe->end().failure.has_value());
    EXPECT_EQ(probe->text(), "Hello");
    EXPECT_EQ(a.requests(), 3);
    EXPECT_EQ(breaker->state(), providers::circuit_state::closed);
}

TEST_F(remote_test, a_client_that_leaves_stops_the_stream) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream & server) {
        fault_upstream::start_sse(s);
        for (int i = 0; i < 40; ++i) {
            fault_upstream::chunk(s, chat_chunk("x"));
            server.pause(20ms);
        }
        fault_upstream::chunk(s, chat_chunk("", "stop") + done_chunk);
        fault_upstream::end_chunks(s);
    });
    auto pa = make(remote_model("primary", a.url()));
    auto obs = std::make_shared<recording_observer>();
    pa->generate(chat(), obs);
    for (int i = 0; i < 200 && obs->deltas().empty(); ++i) {
        std::this_thread::sleep_for(5ms);
    }
    obs->go_away();
    ASSERT_TRUE(obs->wait_end(3s));
    EXPECT_EQ(obs->ends(), 1);
    EXPECT_EQ(obs->end().finish_reason, "cancelled");
    EXPECT_LT(obs->deltas().size(), 40u);
    EXPECT_EQ(a.requests(), 1);
}

TEST_F(remote_test, after_stop_a_call_fails_at_once_with_shutdown_without_a_request) {
    fault_upstream a(always_good());
    auto pa = make(remote_model("primary", a.url()));
    context_.stop();
    auto obs = std::make_shared<recording_observer>();
    pa->generate(chat(), obs);  // on_end on this thread, before generate returns
    EXPECT_EQ(obs->ends(), 1);
    auto end = obs->end();
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.failure->code, "shutdown");
    EXPECT_EQ(http_status(end.failure->kind), 503);
    EXPECT_EQ(a.requests(), 0);
}

// An observer that notes its destruction.
class noting_observer final : public generation_observer {
  public:
    explicit noting_observer(std::shared_ptr<std::atomic<int>> destroyed) : destroyed_(std::move(destroyed)) {}
    ~noting_observer() override { ++*destroyed_; }
    void on_delta(generation_delta &&) override {}
    void on_end(generation_end &&) override { ++ends; }
    bool wanted() const override { return true; }
    std::atomic<int> ends{0};

  private:
    std::shared_ptr<std::atomic<int>> destroyed_;
};

TEST_F(remote_test, close_destroys_a_call_still_waiting_on_its_upstream_without_running_it) {
    fault_upstream a([](tcp::socket &, const upstream_request &, int, fault_upstream & server) { server.pause(2s); });
    auto pa = make(remote_model("primary", a.url()));
    auto destroyed = std::make_shared<std::atomic<int>>(0);
    auto obs = std::make_shared<noting_observer>(destroyed);
    std::weak_ptr<noting_observer> watch = obs;
    pa->generate(chat(), obs);
    for (int i = 0; i < 400 && a.requests() == 0; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_EQ(a.requests(), 1);
    std::this_thread::sleep_for(20ms);  // the request is sent; the call waits for the answer
    const int ends_before = obs->ends.load();
    obs.reset();
    EXPECT_EQ(destroyed->load(), 0);  // the call in flight holds it
    context_.stop();
    EXPECT_EQ(destroyed->load(), 0);  // stopped, not yet discarded
    context_.close();
    EXPECT_EQ(destroyed->load(), 1);  // destroyed by close(), on this thread
    EXPECT_TRUE(watch.expired());
    EXPECT_EQ(ends_before, 0);
}

TEST_F(remote_test, tls_to_a_plain_http_port_is_a_clear_error) {
    fault_upstream a(always_good());
    auto pa = make(remote_model("primary", "https://127.0.0.1:" + std::to_string(a.port())));
    auto obs = run(*pa, chat());
    auto end = obs->end();
    ASSERT_TRUE(end.failure.has_value());
    EXPECT_EQ(end.failure->kind, error_kind::upstream);
    EXPECT_TRUE(end.failure->code == "upstream_tls" || end.failure->code == "upstream_reset") << end.failure->code;
}

TEST_F(remote_test, embeddings_keep_input_order) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        json body = {{"object", "list"},
                     {"data",
                      {{{"object", "embedding"}, {"index", 1}, {"embedding", {0.5, 0.25}}},
                       {{"object", "embedding"}, {"index", 0}, {"embedding", {1.0, -1.0}}}}},
                     {"model", "upstream-embed"},
                     {"usage", {{"prompt_tokens", 3}, {"total_tokens", 3}}}};
        fault_upstream::respond(s, 200, body.dump());
    });
    auto m = remote_model("embedder", a.url() + "/v1");
    m.capabilities = {config::model_capability::embeddings};
    auto p = make(m);
    ASSERT_TRUE(p->supports_embeddings());
    embedding_call call;
    call.inputs = {"first", "second"};
    std::promise<result<embedding_result>> done;
    auto fut = done.get_future();
    p->embed(call, [&](result<embedding_result> r) { done.set_value(std::move(r)); });
    ASSERT_EQ(fut.wait_for(5s), std::future_status::ready);
    auto r = fut.get();
    ASSERT_TRUE(r.ok()) << r.err().message;
    ASSERT_EQ(r->vectors.size(), 2u);
    EXPECT_FLOAT_EQ(r->vectors[0][0], 1.0f);
    EXPECT_FLOAT_EQ(r->vectors[1][1], 0.25f);
    EXPECT_EQ(r->tokens.prompt_tokens, 3);
    EXPECT_EQ(r->model, "embedder");
    EXPECT_EQ(a.seen()[0].target, "/v1/embeddings");
    EXPECT_EQ(json::parse(a.seen()[0].body)["input"][1], "second");
}

}  // namespace
}  // namespace tiergate::testing
