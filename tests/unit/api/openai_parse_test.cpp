#include "api/openai_parse.h"

#include <gtest/gtest.h>

using namespace tiergate;
using namespace tiergate::api;

namespace {

error chat_error(const std::string & body) {
    auto r = parse_chat_request(body);
    EXPECT_FALSE(r.ok()) << body;
    return r.ok() ? error{} : r.err();
}

}  // namespace

TEST(parse_chat, full_request_is_typed) {
    auto r = parse_chat_request(R"({
        "model": "m", "messages": [{"role": "system", "content": "be brief"},
                                   {"role": "user", "content": [{"type": "text", "text": "hi "}, {"type": "text", "text": "there"}]}],
        "temperature": 0.5, "top_p": 0.9, "top_k": 40, "min_p": 0.05, "seed": 7, "max_tokens": 12,
        "stop": ["\n\n", "END"], "stream": true, "stream_options": {"include_usage": true},
        "logprobs": true, "top_logprobs": 3, "presence_penalty": 0.1, "frequency_penalty": -0.2,
        "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}})");
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->model, "m");
    ASSERT_EQ(r->messages.size(), 2u);
    EXPECT_EQ(r->messages[1].content, "hi there");
    EXPECT_FLOAT_EQ(*r->params.temperature, 0.5f);
    EXPECT_EQ(*r->params.top_k, 40);
    EXPECT_EQ(*r->params.seed, 7u);
    EXPECT_EQ(*r->params.max_tokens, 12);
    EXPECT_EQ(r->params.stop.size(), 2u);
    EXPECT_TRUE(r->stream);
    EXPECT_TRUE(r->include_usage);
    EXPECT_TRUE(r->params.logprobs);
    EXPECT_EQ(r->params.top_logprobs, 3);
    EXPECT_EQ(r->params.format.type, response_format::kind::json_schema);
    EXPECT_EQ(r->params.format.schema_json, R"({"type":"object"})");
}

TEST(parse_chat, malformed_json_and_non_objects) {
    EXPECT_EQ(chat_error("{").code, "invalid_json");
    EXPECT_EQ(chat_error("").code, "invalid_json");
    EXPECT_EQ(chat_error("[1,2]").code, "invalid_json");
    // a number too large for a double is a parse failure, not an exception
    EXPECT_EQ(chat_error("6E851").code, "invalid_json");
    EXPECT_EQ(chat_error(R"({"model":"m","temperature":1e999})").code, "invalid_json");
    EXPECT_EQ(chat_error("\"text\"").code, "invalid_json");
}

TEST(parse_chat, nesting_deeper_than_the_limit_is_refused_before_parsing) {
    const std::string deep = "{\"model\":\"m\",\"messages\":" + std::string(100, '[') + std::string(100, ']') + "}";
    auto e = chat_error(deep);
    EXPECT_EQ(e.code, "invalid_json");
    EXPECT_NE(e.message.find("deeper than 64"), std::string::npos) << e.message;
    // brackets inside strings are text, not nesting
    const std::string in_text = R"({"model":"m","messages":[{"role":"user","content":")" + std::string(1000, '[') +
                                R"(\"{{{"}]})";
    auto ok = parse_chat_request(in_text);
    ASSERT_TRUE(ok) << ok.err().message;
    EXPECT_EQ(ok->messages[0].content, std::string(1000, '[') + "\"{{{");
    EXPECT_TRUE(is_completion_body(R"({"model":"m","prompt":"x"})"));
    EXPECT_FALSE(is_completion_body(R"({"model":"m","messages":[]})"));
    EXPECT_FALSE(is_completion_body("[[[" + std::string(1000, '[')));
}

TEST(parse_chat, invalid_utf8_is_named) {
    auto e = chat_error(std::string("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\xff\"}]}"));
    EXPECT_EQ(e.code, "invalid_utf8");
    EXPECT_NE(e.message.find("offset"), std::string::npos);
}

TEST(parse_chat, missing_and_wrongly_typed_fields_name_the_param) {
    EXPECT_EQ(chat_error(R"({"messages":[{"role":"user","content":"x"}]})").param, "model");
    EXPECT_EQ(chat_error(R"({"model":"m"})").param, "messages");
    EXPECT_EQ(chat_error(R"({"model":"m","messages":[]})").param, "messages");
    EXPECT_EQ(chat_error(R"({"model":5,"messages":[{"role":"user","content":"x"}]})").code, "invalid_type");
    EXPECT_EQ(chat_error(R"({"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"hot"})").param,
              "temperature");
    EXPECT_EQ(chat_error(R"({"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":1.5})").param,
              "max_tokens");
    EXPECT_EQ(chat_error(R"({"model":"m","messages":[{"role":"wizard","content":"x"}]})").param, "messages[0].role");
    EXPECT_EQ(chat_error(R"({"model":"m","messages":[{"role":"user"}]})").param, "messages[0].content");
    EXPECT_EQ(chat_error(R"({"model":"m","messages":["hi"]})").param, "messages[0]");
}

TEST(parse_chat, out_of_range_values_are_rejected) {
    const std::string base = R"({"model":"m","messages":[{"role":"user","content":"x"}],)";
    EXPECT_EQ(chat_error(base + R"("temperature":3})").code, "invalid_value");
    EXPECT_EQ(chat_error(base + R"("top_p":-0.1})").code, "invalid_value");
    EXPECT_EQ(chat_error(base + R"("max_tokens":0})").code, "invalid_value");
    EXPECT_EQ(chat_error(base + R"("top_logprobs":21,"logprobs":true})").param, "top_logprobs");
    EXPECT_EQ(chat_error(base + R"("top_logprobs":2})").param, "top_logprobs");
    EXPECT_EQ(chat_error(base + R"("stop":["a","b","c","d","e"]})").param, "stop");
    EXPECT_EQ(chat_error(base + R"("stream_options":{"include_usage":true}})").param, "stream_options");
}

TEST(parse_chat, unsupported_parameters_are_errors) {
    const std::string base = R"({"model":"m","messages":[{"role":"user","content":"x"}],)";
    EXPECT_EQ(chat_error(base + R"("n":2})").code, "unsupported_value");
    EXPECT_EQ(chat_error(base + R"("functions":[]})").code, "unsupported_parameter");
    EXPECT_EQ(chat_error(base + R"("bogus":1})").param, "bogus");
    EXPECT_EQ(chat_error(R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url"}]}]})").code,
              "missing_field");
    EXPECT_EQ(chat_error(R"({"model":"m","messages":[{"role":"user","content":[{"type":"video"}]}]})").code,
              "unsupported_value");
    EXPECT_EQ(chat_error(base + R"("response_format":{"type":"yaml"}})").param, "response_format.type");
    EXPECT_TRUE(parse_chat_request(base + R"("store":false,"n":1})").ok());
}

TEST(parse_completion, prompt_forms_and_defaults) {
    auto r = parse_completion_request(R"({"model":"m","prompt":["once"],"logprobs":2})");
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->prompt, "once");
    EXPECT_EQ(*r->params.max_tokens, 16);
    EXPECT_TRUE(r->params.logprobs);
    EXPECT_EQ(r->params.top_logprobs, 2);
    EXPECT_FALSE(parse_completion_request(R"({"model":"m","prompt":["a","b"]})").ok());
    EXPECT_FALSE(parse_completion_request(R"({"model":"m","prompt":""})").ok());
    EXPECT_FALSE(parse_completion_request(R"({"model":"m","prompt":"a","logprobs":6})").ok());
    EXPECT_FALSE(parse_completion_request(R"({"model":"m","prompt":"a","echo":true})").ok());
}

TEST(parse_embeddings, input_forms) {
    auto a = parse_embedding_request(R"({"model":"m","input":"hello"})");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->inputs.size(), 1u);
    auto b = parse_embedding_request(R"({"model":"m","input":[[1,2,3],[4]],"encoding_format":"base64","pooling":"cls"})");
    ASSERT_TRUE(b.ok()) << b.err().message;
    EXPECT_EQ(b->token_inputs.size(), 2u);
    EXPECT_TRUE(b->base64);
    EXPECT_EQ(b->pooling, "cls");
    EXPECT_FALSE(parse_embedding_request(R"({"model":"m","input":[]})").ok());
    EXPECT_FALSE(parse_embedding_request(R"({"model":"m","input":["a",""]})").ok());
    EXPECT_FALSE(parse_embedding_request(R"({"model":"m","input":["a",[1]]})").ok());
    EXPECT_FALSE(parse_embedding_request(R"({"model":"m","input":"a","encoding_format":"hex"})").ok());
    EXPECT_FALSE(parse_embedding_request(R"({"model":"m","input":"a","dimensions":8})").ok());
    EXPECT_FALSE(parse_embedding_request(R"({"model":"m"})").ok());
}

TEST(parse, deep_nesting_does_not_crash) {
    std::string deep = R"({"model":"m","messages":[{"role":"user","content":"x"}],"metadata":)";
    deep += std::string(20000, '[') + std::string(20000, ']') + "}";
    auto r = parse_chat_request(deep);
    EXPECT_TRUE(r.ok() || !r.err().message.empty());
}

TEST(parse_chat, logit_bias_and_reasoning_effort) {
    const std::string base = R"({"model":"m","messages":[{"role":"user","content":"x"}],)";
    auto r = parse_chat_request(base + R"("logit_bias":{"12":-100,"7":3.5},"reasoning_effort":"high"})");
    ASSERT_TRUE(r.ok()) << r.err().message;
    ASSERT_EQ(r->params.logit_bias.size(), 2u);
    EXPECT_EQ(r->params.logit_bias[0], (std::pair<int32_t, float>{12, -100.0f}));
    EXPECT_EQ(r->params.logit_bias[1], (std::pair<int32_t, float>{7, 3.5f}));
    EXPECT_EQ(r->params.reasoning_effort, "high");
    EXPECT_EQ(chat_error(base + R"("logit_bias":[1]})").param, "logit_bias");
    EXPECT_EQ(chat_error(base + R"("logit_bias":{"x":1}})").param, "logit_bias");
    EXPECT_EQ(chat_error(base + R"("logit_bias":{"-1":1}})").param, "logit_bias");
    EXPECT_EQ(chat_error(base + R"("logit_bias":{"1":101}})").param, "logit_bias");
    EXPECT_EQ(chat_error(base + R"("logit_bias":{"1":"a"}})").param, "logit_bias");
    EXPECT_EQ(chat_error(base + R"("reasoning_effort":"max"})").param, "reasoning_effort");
}

TEST(parse_chat, image_and_audio_parts_are_kept_in_order) {
    auto r = parse_chat_request(R"({"model":"m","messages":[{"role":"user","content":[
        {"type":"text","text":"What is "},
        {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K","detail":"low"}},
        {"type":"text","text":"and this?"},
        {"type":"input_audio","input_audio":{"data":"UklGR","format":"wav"}}]}]})");
    ASSERT_TRUE(r.ok()) << r.err().message;
    const auto & m = r->messages[0];
    EXPECT_EQ(m.content, "What is and this?");
    ASSERT_EQ(m.parts.size(), 4u);
    EXPECT_EQ(m.parts[1].type, content_part::kind::image);
    EXPECT_EQ(m.parts[1].url, "data:image/png;base64,iVBORw0K");
    EXPECT_EQ(m.parts[1].detail, "low");
    EXPECT_EQ(m.parts[3].type, content_part::kind::audio);
    EXPECT_EQ(m.parts[3].format, "wav");
    EXPECT_TRUE(carries_media(*r, content_part::kind::image));
    // text alone keeps no parts
    auto text = parse_chat_request(R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"}]}]})");
    ASSERT_TRUE(text.ok());
    EXPECT_TRUE(text->messages[0].parts.empty());
    EXPECT_EQ(chat_error(R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"file:///etc/passwd"}}]}]})")
                  .param,
              "messages[0].content[0].image_url.url");
    EXPECT_EQ(chat_error(R"({"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x"}}]}]})")
                  .param,
              "messages[0].content[0].input_audio");
}
