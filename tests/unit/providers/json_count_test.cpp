// Counts upstreams report (usage, choice indexes) are read without any
// conversion the language leaves undefined: a hostile or broken upstream's
// 1e300, -5 or "12" is an invalid response, never a crash or a garbage count.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "providers/anthropic_dialect.h"
#include "providers/json_count.h"
#include "providers/openai_dialect.h"

namespace tiergate::providers {
namespace {

using nlohmann::json;

TEST(json_count, reads_integers_and_integral_floats_in_range) {
    const json j = json::parse(R"({"a": 12, "b": 7.0, "c": 2147483647, "d": 0})");
    EXPECT_EQ(json_count(j, "a"), 12);
    EXPECT_EQ(json_count(j, "b"), 7);
    EXPECT_EQ(json_count(j, "c"), 2147483647);
    EXPECT_EQ(json_count(j, "d"), 0);
}

TEST(json_count, missing_or_null_is_not_reported) {
    const json j = json::parse(R"({"null": null})");
    EXPECT_EQ(json_count(j, "null"), std::nullopt);
    EXPECT_EQ(json_count(j, "missing"), std::nullopt);
    EXPECT_EQ(json_count(json::array({1}), "0"), std::nullopt);
}

TEST(json_count, anything_else_is_an_error_naming_the_key) {
    const json j = json::parse(
        R"({"huge": 1e300, "neg": -5, "frac": 2.5, "big": 2147483648, "str": "12",
            "u64": 18446744073709551615, "negf": -1e300, "list": [1]})");
    for (const char * key : {"huge", "neg", "frac", "big", "str", "u64", "negf", "list"}) {
        try {
            (void)json_count(j, key);
            ADD_FAILURE() << key << " was read as a count";
        } catch (const std::domain_error & e) {
            EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
        }
    }
}

generation_call chat_call() {
    generation_call call;
    call.kind = request_kind::chat;
    call.model = "m";
    call.include_usage = true;
    return call;
}

// the decoders throw; remote_provider's decode() makes it an invalid response
void expect_refused(remote_dialect & dialect, const std::string & body) {
    auto call = chat_call();
    auto decoder = dialect.make_decoder(call, "m");
    std::vector<generation_delta> out;
    EXPECT_THROW((void)decoder->on_json(body, out), std::domain_error) << body;
}

TEST(upstream_usage, out_of_range_openai_counts_are_refused) {
    openai_dialect dialect(false);
    const std::string choices = R"("choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}])";
    expect_refused(dialect, "{" + choices + R"(,"usage":{"prompt_tokens":1e300,"completion_tokens":2}})");
    expect_refused(dialect, "{" + choices + R"(,"usage":{"prompt_tokens":1,"completion_tokens":-3}})");
    expect_refused(dialect, "{" + choices + R"(,"usage":{"prompt_tokens_details":{"cached_tokens":9.9e99}}})");
    expect_refused(dialect, R"({"choices":[{"index":1e300,"message":{"content":"x"}}]})");
}

TEST(upstream_usage, out_of_range_anthropic_counts_are_refused) {
    anthropic_dialect dialect;
    expect_refused(dialect, R"({"type":"message","role":"assistant","content":[{"type":"text","text":"hi"}],)"
                            R"("stop_reason":"end_turn","usage":{"input_tokens":1e300,"output_tokens":4}})");
}

TEST(upstream_usage, integral_float_counts_are_read) {
    openai_dialect dialect(false);
    auto call = chat_call();
    auto decoder = dialect.make_decoder(call, "m");
    std::vector<generation_delta> out;
    const auto err = decoder->on_json(
        R"({"choices":[{"index":0.0,"message":{"content":"hi"}}],"usage":{"prompt_tokens":3.0,"completion_tokens":2}})",
        out);
    ASSERT_FALSE(err.has_value());
    ASSERT_TRUE(decoder->reported_usage().has_value());
    EXPECT_EQ(decoder->reported_usage()->prompt_tokens, 3);
    EXPECT_EQ(decoder->reported_usage()->completion_tokens, 2);
    std::string text;
    for (const auto & d : out) {
        text += d.content;
    }
    EXPECT_EQ(text, "hi");
}

}  // namespace
}  // namespace tiergate::providers
