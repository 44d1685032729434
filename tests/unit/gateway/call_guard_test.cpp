// The guard over tool traffic: tool definitions, the arguments of the
// history's tool calls and tool results are scanned like message text;
// inside JSON arguments each string value is rewritten, so the JSON stays
// valid; an on-prem-only value in a tool result keeps the call on-prem.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gateway/call_guard.h"
#include "gateway/guard_settings.h"

namespace tiergate::gateway {
namespace {

using guard::entity_type;
using guard::policy_action;

guard::guard_policy policy() {
    guard::guard_policy p;
    p.rules.push_back({policy_action::on_prem_only, {entity_type::us_ssn}, 0.0f});
    p.rules.push_back({policy_action::pseudonymize, {entity_type::email_address}, 0.0f});
    return p;
}

generation_call call_with_tools() {
    generation_call call;
    call.messages.push_back({"user", "Mail grace@navy.mil the forecast", "", {}, ""});
    call.messages.push_back(
        {"assistant", "", "", {{"call_1", "send_mail", R"({"to":"grace@navy.mil","cc":["alan@bletchley.uk"],"n":2})"}}, ""});
    call.messages.push_back({"tool", "sent to grace@navy.mil", "", {}, "call_1"});
    call.tools.push_back({"send_mail", "Sends mail, e.g. to ops@example.com",
                          R"({"type":"object","properties":{"to":{"type":"string","default":"ops@example.com"}}})", false});
    return call;
}

TEST(call_guard_tools, arguments_definitions_and_results_are_pseudonymized_as_json) {
    auto scanner = guard::scanner::make({});
    ASSERT_TRUE(scanner);
    const auto p = policy();
    auto g = guard_call(*scanner, p, on_prem_variant(p), call_with_tools());
    ASSERT_TRUE(g.ok()) << g.err().message;
    const auto & out = g->egress;
    EXPECT_EQ(out.messages[0].content, "Mail <EMAIL_ADDRESS_2> the forecast");
    const auto args = nlohmann::json::parse(out.messages[1].tool_calls[0].arguments);  // still JSON
    EXPECT_EQ(args["to"], "<EMAIL_ADDRESS_2>");
    EXPECT_EQ(args["cc"][0], "<EMAIL_ADDRESS_3>");
    EXPECT_EQ(args["n"], 2);
    EXPECT_EQ(out.messages[2].content, "sent to <EMAIL_ADDRESS_2>");
    EXPECT_EQ(out.tools[0].description, "Sends mail, e.g. to <EMAIL_ADDRESS_1>");
    EXPECT_EQ(nlohmann::json::parse(out.tools[0].parameters_json)["properties"]["to"]["default"], "<EMAIL_ADDRESS_1>");
    EXPECT_EQ(out.messages[1].tool_calls[0].id, "call_1");
    // on-prem: pseudonymized values stay as they were
    EXPECT_EQ(g->on_prem.messages[1].tool_calls[0].arguments, call_with_tools().messages[1].tool_calls[0].arguments);
    EXPECT_FALSE(g->result.on_prem_only);
    EXPECT_EQ(g->names->restore("<EMAIL_ADDRESS_3>"), "alan@bletchley.uk");
}

TEST(call_guard_tools, an_on_prem_only_value_in_a_tool_result_keeps_the_call_on_prem) {
    auto scanner = guard::scanner::make({});
    ASSERT_TRUE(scanner);
    const auto p = policy();
    auto call = call_with_tools();
    call.messages[2].content = "record found: SSN 078-05-1120";
    auto g = guard_call(*scanner, p, on_prem_variant(p), call);
    ASSERT_TRUE(g.ok()) << g.err().message;
    EXPECT_TRUE(g->result.on_prem_only);
}

TEST(call_guard_tools, arguments_that_are_not_json_are_guarded_as_text) {
    auto scanner = guard::scanner::make({});
    ASSERT_TRUE(scanner);
    const auto p = policy();
    auto call = call_with_tools();
    call.messages[1].tool_calls[0].arguments = "to grace@navy.mil {";
    auto g = guard_call(*scanner, p, on_prem_variant(p), call);
    ASSERT_TRUE(g.ok());
    EXPECT_EQ(g->egress.messages[1].tool_calls[0].arguments, "to <EMAIL_ADDRESS_2> {");
}

}  // namespace
}  // namespace tiergate::gateway
