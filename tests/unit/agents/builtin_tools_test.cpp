// The built-in tools: their schemas, and arguments read strictly.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agents/builtin_tools.h"

namespace tiergate::agents {
namespace {

TEST(builtin_tools, a_specialist_is_offered_the_tools_it_declares_with_strict_schemas) {
    specialist_settings s;
    s.name = "analyst";
    s.tools = {"sql_query", "retrieve", "call_specialist"};
    s.database = "warehouse";
    s.collections = {"handbook", "faq"};
    auto defs = builtin_tool_definitions(s, {"writer"});
    ASSERT_EQ(defs.size(), 3u);
    for (const auto & d : defs) {
        EXPECT_TRUE(d.strict);
        auto schema = nlohmann::json::parse(d.parameters_json);
        EXPECT_EQ(schema["additionalProperties"], false) << d.name;
    }
    auto retrieve = nlohmann::json::parse(defs[1].parameters_json);
    EXPECT_EQ(retrieve["properties"]["collection"]["enum"], nlohmann::json({"handbook", "faq"}));
    auto delegate = nlohmann::json::parse(defs[2].parameters_json);
    EXPECT_EQ(delegate["properties"]["specialist"]["enum"], nlohmann::json({"writer"}));
}

TEST(builtin_tools, delegation_is_not_offered_without_anyone_to_delegate_to) {
    specialist_settings s;
    s.tools = {"call_specialist", "retrieve"};  // and no collections
    EXPECT_TRUE(builtin_tool_definitions(s, {}).empty());
}

TEST(builtin_tools, sql_arguments) {
    auto ok = parse_sql_query_args(R"({"query":"SELECT 1"})");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->query, "SELECT 1");
    for (const char * bad : {R"({"query":1})", R"({"query":""})", R"({"sql":"SELECT 1"})", R"({"query":"x","limit":3})",
                             "[]", "{", "", "\"SELECT 1\""}) {
        auto r = parse_sql_query_args(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.err().code, "invalid_tool_arguments");
    }
    EXPECT_FALSE(parse_sql_query_args("{\"query\":\"\xc3\x28\"}"));
    EXPECT_FALSE(parse_sql_query_args("{\"query\":" + std::string(1000, '[') + "}"));
}

TEST(builtin_tools, retrieve_arguments_keep_to_the_declared_collections) {
    auto one = parse_retrieve_args(R"({"query":"leave policy"})", {"handbook"});
    ASSERT_TRUE(one);  // the only collection may be left out
    EXPECT_EQ(one->collection, "handbook");
    EXPECT_EQ(one->k, 5);
    auto named = parse_retrieve_args(R"({"query":"x","collection":"faq","k":3})", {"handbook", "faq"});
    ASSERT_TRUE(named);
    EXPECT_EQ(named->k, 3);
    EXPECT_FALSE(parse_retrieve_args(R"({"query":"x"})", {"handbook", "faq"}));
    auto other = parse_retrieve_args(R"({"query":"x","collection":"secrets"})", {"handbook", "faq"});
    ASSERT_FALSE(other);
    EXPECT_NE(other.err().message.find("must be one of: handbook, faq"), std::string::npos);
    EXPECT_FALSE(parse_retrieve_args(R"({"query":"x","collection":"faq","k":0})", {"faq"}));
    EXPECT_FALSE(parse_retrieve_args(R"({"query":"x","collection":"faq","k":2.5})", {"faq"}));
}

TEST(builtin_tools, delegation_arguments_name_a_delegate) {
    auto ok = parse_call_specialist_args(R"({"specialist":"writer","instruction":"draft it"})", {"writer"});
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->specialist, "writer");
    EXPECT_FALSE(parse_call_specialist_args(R"({"specialist":"sql","instruction":"x"})", {"writer"}));
    EXPECT_FALSE(parse_call_specialist_args(R"({"specialist":"writer"})", {"writer"}));
}

TEST(builtin_tools, names) {
    EXPECT_TRUE(is_builtin_tool("sql_query"));
    EXPECT_TRUE(is_builtin_tool("call_specialist"));
    EXPECT_FALSE(is_builtin_tool("get_weather"));
}

}  // namespace
}  // namespace tiergate::agents
