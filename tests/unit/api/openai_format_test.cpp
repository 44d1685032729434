#include "api/openai_format.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace tiergate;
using namespace tiergate::api;
using json = nlohmann::json;

TEST(format, chat_completion_shape) {
    std::vector<token_logprob> lps = {{"Hi", -0.5f, {{"Hi", -0.5f}, {"Yo", -1.5f}}}};
    usage u{10, 1, 4};
    auto body = json::parse(chat_completion_body({"id1", 5, "m"}, "Hi", &lps, "stop", u));
    EXPECT_EQ(body["object"], "chat.completion");
    EXPECT_EQ(body["choices"][0]["message"]["content"], "Hi");
    EXPECT_EQ(body["choices"][0]["finish_reason"], "stop");
    EXPECT_EQ(body["usage"]["total_tokens"], 11);
    EXPECT_EQ(body["usage"]["prompt_tokens_details"]["cached_tokens"], 4);
    auto lp = body["choices"][0]["logprobs"]["content"][0];
    EXPECT_EQ(lp["token"], "Hi");
    EXPECT_EQ(lp["bytes"], json::array({72, 105}));
    EXPECT_EQ(lp["top_logprobs"].size(), 2u);
}

TEST(format, chunk_role_and_finish) {
    const std::string role = "assistant", reason = "length";
    auto first = json::parse(chat_chunk_body({"id", 1, "m"}, &role, "", nullptr, nullptr));
    EXPECT_EQ(first["choices"][0]["delta"]["role"], "assistant");
    EXPECT_TRUE(first["choices"][0]["finish_reason"].is_null());
    auto last = json::parse(chat_chunk_body({"id", 1, "m"}, nullptr, "", nullptr, &reason));
    EXPECT_FALSE(last["choices"][0]["delta"].contains("content"));
    EXPECT_EQ(last["choices"][0]["finish_reason"], "length");
    auto u = json::parse(usage_chunk_body({"id", 1, "m"}, "chat.completion.chunk", {3, 2, 0}));
    EXPECT_TRUE(u["choices"].empty());
    EXPECT_EQ(u["usage"]["completion_tokens"], 2);
}

TEST(format, partial_utf8_token_still_serializes) {
    std::vector<token_logprob> lps = {{std::string("\xe2\x82"), -1.0f, {}}};
    auto text = chat_chunk_body({"id", 1, "m"}, nullptr, "", &lps, nullptr);
    auto body = json::parse(text);
    EXPECT_EQ(body["choices"][0]["logprobs"]["content"][0]["bytes"], json::array({0xe2, 0x82}));
}

TEST(format, text_completion_logprobs_offsets) {
    std::vector<token_logprob> lps = {{"ab", -0.1f, {{"ab", -0.1f}}}, {"c", -0.2f, {}}};
    auto body = json::parse(text_completion_body({"id", 1, "m"}, "abc", &lps, "stop", {}));
    EXPECT_EQ(body["choices"][0]["logprobs"]["text_offset"], json::array({0, 2}));
    EXPECT_EQ(body["choices"][0]["logprobs"]["tokens"], json::array({"ab", "c"}));
}

TEST(format, embeddings_base64_roundtrip_length) {
    embedding_result r;
    r.vectors = {{1.0f, 0.0f, -1.0f}};
    r.model = "m";
    auto body = json::parse(embeddings_body(r, true));
    EXPECT_EQ(body["data"][0]["embedding"].get<std::string>().size(), 16u);  // 12 bytes -> 16 base64 chars
    auto plain = json::parse(embeddings_body(r, false));
    EXPECT_EQ(plain["data"][0]["embedding"].size(), 3u);
}

TEST(format, sse_event_framing) {
    EXPECT_EQ(sse_event("{}"), "data: {}\n\n");
    EXPECT_STREQ(sse_done, "data: [DONE]\n\n");
}

TEST(format, response_ids_are_unique) {
    EXPECT_NE(new_response_id("chatcmpl"), new_response_id("chatcmpl"));
}

TEST(format, citations_ride_on_the_answer_and_the_first_chunk_only) {
    std::vector<citation> cites(2);
    cites[0] = {1, "vs_a", "file-x", "file-x", "a.md", "Intro", 12, 0, 80, 0.9};
    cites[1] = {2, "vs_a", "doc-7", "", "", "Notes", 40, 100, 220, 0.4};
    response_meta meta{"id", 1, "m", &cites};
    auto whole = json::parse(chat_completion_body(meta, "See [1].", nullptr, "stop", usage{}));
    ASSERT_TRUE(whole.contains("tiergate"));
    const auto & list = whole["tiergate"]["citations"];
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]["index"], 1);
    EXPECT_EQ(list[0]["vector_store_id"], "vs_a");
    EXPECT_EQ(list[0]["file_id"], "file-x");
    EXPECT_EQ(list[0]["filename"], "a.md");
    EXPECT_EQ(list[0]["chunk_id"], 12);
    EXPECT_EQ(list[0]["end"], 80);
    EXPECT_TRUE(list[1]["file_id"].is_null());
    EXPECT_EQ(list[1]["start"], 100);
    const std::string role = "assistant";
    auto first = json::parse(chat_chunk_body(meta, &role, "", nullptr, nullptr));
    EXPECT_EQ(first["tiergate"]["citations"].size(), 2u);
    auto later = json::parse(chat_chunk_body(meta, nullptr, "x", nullptr, nullptr));
    EXPECT_FALSE(later.contains("tiergate"));
    std::vector<citation> none;
    response_meta plain{"id", 1, "m", &none};
    EXPECT_FALSE(json::parse(chat_completion_body(plain, "x", nullptr, "stop", usage{})).contains("tiergate"));
}

namespace {

std::string as_document_writes(const json & j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

const std::vector<std::string> awkward_texts = {
    "",
    "Hello",
    "quote \" backslash \\ slash / tab \t newline \n return \r bell \x07 nul-free \x1f del \x7f",
    "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",                 // valid multi-byte
    std::string("cut \xe2\x82", 6),                                   // ends inside a character
    "bad \xff\xfe bytes",                    // invalid UTF-8, one kind per text
    "overlong \xc0\xaf slash",
    "surrogate \xed\xa0\x80 half",
    "past the last code point \xf4\x90\x80\x80",
    "lone continuation \x80 byte",
    std::string("nul \0 inside", 12),
    std::string(3000, 'x') + "\b\f",
};

}  // namespace

// The common bodies are written directly; they must be byte for byte what the
// json document of the same shape writes (keys sorted, UTF-8 kept, invalid
// bytes replaced), for every awkward text.
TEST(format, direct_bodies_are_the_bytes_a_json_document_writes) {
    const usage u{12, 34, 5};
    for (const auto & text : awkward_texts) {
        const response_meta meta{"chatcmpl-" + text, 1700000000, "model " + text};
        json meta_json = {{"id", meta.id}, {"created", meta.created}, {"model", meta.model}};
        json usage_json = {{"prompt_tokens", 12}, {"completion_tokens", 34}, {"total_tokens", 46},
                           {"prompt_tokens_details", {{"cached_tokens", 5}}}};

        json whole = meta_json;
        whole["object"] = "chat.completion";
        whole["choices"] = json::array({{{"index", 0},
                                         {"message", {{"role", "assistant"}, {"content", text}, {"refusal", nullptr}}},
                                         {"logprobs", nullptr},
                                         {"finish_reason", "stop " + text}}});
        whole["usage"] = usage_json;
        EXPECT_EQ(chat_completion_body(meta, text, nullptr, "stop " + text, u), as_document_writes(whole));

        const std::string reason = "length";
        for (const std::string * finish : {static_cast<const std::string *>(nullptr), &reason}) {
            json delta = json::object();
            if (!text.empty()) {
                delta["content"] = text;
            }
            json chunk = meta_json;
            chunk["object"] = "chat.completion.chunk";
            chunk["choices"] = json::array({{{"index", 0},
                                             {"delta", delta},
                                             {"logprobs", nullptr},
                                             {"finish_reason", finish ? json(*finish) : json(nullptr)}}});
            EXPECT_EQ(chat_chunk_body(meta, nullptr, text, nullptr, finish), as_document_writes(chunk));
        }

        json usage_chunk = meta_json;
        usage_chunk["object"] = "chat.completion.chunk";
        usage_chunk["choices"] = json::array();
        usage_chunk["usage"] = usage_json;
        EXPECT_EQ(usage_chunk_body(meta, "chat.completion.chunk", u), as_document_writes(usage_chunk));
    }
}
