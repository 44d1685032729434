// The `tiergate.retrieval` extension on chat completions and Messages bodies.
#include "api/anthropic_parse.h"
#include "api/openai_parse.h"

#include <gtest/gtest.h>

using namespace tiergate;
using namespace tiergate::api;

namespace {

std::string chat_with(const std::string & extension) {
    return R"({"model":"m","messages":[{"role":"user","content":"q"}],"tiergate":)" + extension + "}";
}

}  // namespace

TEST(retrieval_parse, a_chat_request_names_collections_k_threshold_and_filters) {
    auto r = parse_chat_request(chat_with(
        R"({"retrieval":{"collections":["vs_a","vs_b"],"k":3,"score_threshold":0.25,"filters":{"type":"eq","key":"dept","value":"ops"}}})"));
    ASSERT_TRUE(r) << r.err().message;
    ASSERT_TRUE(r->retrieval);
    EXPECT_EQ(r->retrieval->collections, (std::vector<std::string>{"vs_a", "vs_b"}));
    EXPECT_EQ(r->retrieval->k, 3);
    EXPECT_DOUBLE_EQ(r->retrieval->score_threshold, 0.25);
    EXPECT_NE(r->retrieval->filters_json.find("\"dept\""), std::string::npos);
    auto defaults = parse_chat_request(chat_with(R"({"retrieval":{"collections":["vs_a"]}})"));
    ASSERT_TRUE(defaults) << defaults.err().message;
    EXPECT_EQ(defaults->retrieval->k, 5);
    EXPECT_TRUE(defaults->retrieval->filters_json.empty());
    auto none = parse_chat_request(R"({"model":"m","messages":[{"role":"user","content":"q"}]})");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->retrieval);
    auto null_ext = parse_chat_request(chat_with("null"));
    ASSERT_TRUE(null_ext);
    EXPECT_FALSE(null_ext->retrieval);
}

TEST(retrieval_parse, a_messages_request_takes_the_same_extension) {
    auto r = parse_messages_request(
        R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":"q"}],"tiergate":{"retrieval":{"collections":["vs_a"],"k":2}}})");
    ASSERT_TRUE(r) << r.err().message;
    ASSERT_TRUE(r->retrieval);
    EXPECT_EQ(r->retrieval->k, 2);
    auto bad = parse_messages_request(
        R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":"q"}],"tiergate":{"retrieval":{"collections":[]}}})");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.err().param, "tiergate.retrieval.collections");
}

TEST(retrieval_parse, bad_extensions_name_the_field) {
    struct bad_case {
        const char * extension;
        const char * param;
        const char * code;
    };
    const bad_case cases[] = {
        {R"("yes")", "tiergate", "invalid_type"},
        {R"({"retrieve":{}})", "tiergate.retrieve", "unsupported_parameter"},
        {R"({"retrieval":[]})", "tiergate.retrieval", "invalid_type"},
        {R"({"retrieval":{}})", "tiergate.retrieval.collections", "missing_field"},
        {R"({"retrieval":{"collections":"vs_a"}})", "tiergate.retrieval.collections", "invalid_type"},
        {R"({"retrieval":{"collections":[]}})", "tiergate.retrieval.collections", "invalid_value"},
        {R"({"retrieval":{"collections":[1]}})", "tiergate.retrieval.collections[0]", "invalid_type"},
        {R"({"retrieval":{"collections":[""]}})", "tiergate.retrieval.collections[0]", "invalid_value"},
        {R"({"retrieval":{"collections":["vs_a"],"k":0}})", "tiergate.retrieval.k", "invalid_value"},
        {R"({"retrieval":{"collections":["vs_a"],"k":21}})", "tiergate.retrieval.k", "invalid_value"},
        {R"({"retrieval":{"collections":["vs_a"],"k":2.5}})", "tiergate.retrieval.k", "invalid_type"},
        {R"({"retrieval":{"collections":["vs_a"],"k":"5"}})", "tiergate.retrieval.k", "invalid_type"},
        {R"({"retrieval":{"collections":["vs_a"],"score_threshold":1.5}})", "tiergate.retrieval.score_threshold",
         "invalid_value"},
        {R"({"retrieval":{"collections":["vs_a"],"filters":"dept=ops"}})", "tiergate.retrieval.filters", "invalid_type"},
        {R"({"retrieval":{"collections":["vs_a"],"top":3}})", "tiergate.retrieval.top", "unsupported_parameter"},
    };
    for (const auto & c : cases) {
        auto r = parse_chat_request(chat_with(c.extension));
        ASSERT_FALSE(r) << c.extension;
        EXPECT_EQ(r.err().param, c.param) << c.extension;
        EXPECT_EQ(r.err().code, c.code) << c.extension;
        EXPECT_NE(r.err().message.find(c.param), std::string::npos) << r.err().message;
    }
    std::string many = R"({"retrieval":{"collections":[)";
    for (int i = 0; i < 21; ++i) {
        many += (i ? ",\"vs_" : "\"vs_") + std::to_string(i) + "\"";
    }
    many += "]}}";
    auto r = parse_chat_request(chat_with(many));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().param, "tiergate.retrieval.collections");
}

TEST(retrieval_parse, the_cache_flag_turns_the_answer_cache_off_for_one_request) {
    auto on = parse_chat_request(R"({"model":"m","messages":[{"role":"user","content":"q"}]})");
    ASSERT_TRUE(on);
    EXPECT_TRUE(on->use_cache);
    auto off = parse_chat_request(chat_with(R"({"cache":false})"));
    ASSERT_TRUE(off) << off.err().message;
    EXPECT_FALSE(off->use_cache);
    auto bad = parse_chat_request(chat_with(R"({"cache":"no"})"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.err().param, "tiergate.cache");
    auto messages = parse_messages_request(
        R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":"q"}],"tiergate":{"cache":false}})");
    ASSERT_TRUE(messages) << messages.err().message;
    EXPECT_FALSE(messages->use_cache);
}
