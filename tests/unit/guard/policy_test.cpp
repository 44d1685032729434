#include "guard/apply_policy.h"

#include <gtest/gtest.h>

using namespace tiergate::guard;

namespace {

const scanner & default_scanner() {
    static const scanner s = std::move(*scanner::make({}));
    return s;
}

const std::string text = "Contact jane@example.com or 474-49-7577, card 4111 1111 1111 1111.";

}  // namespace

TEST(apply_policy, first_covering_rule_decides) {
    guard_policy policy;
    policy.rules = {{policy_action::allow, {entity_type::email_address}, 0.0f},
                    {policy_action::redact, {}, 0.0f}};
    pseudonymizer names;
    const guarded_text out = apply_policy(text, default_scanner().scan(text), policy, names);
    EXPECT_EQ(out.text, "Contact jane@example.com or <US_SSN>, card <CREDIT_CARD>.");
    EXPECT_EQ(out.result.found[index_of(entity_type::email_address)], 1u);
    EXPECT_EQ(out.result.redacted[index_of(entity_type::us_ssn)], 1u);
    EXPECT_EQ(out.result.redacted[index_of(entity_type::credit_card)], 1u);
    EXPECT_EQ(out.result.redacted[index_of(entity_type::email_address)], 0u);
    EXPECT_FALSE(out.result.blocked);
    EXPECT_FALSE(out.result.on_prem_only);
}

TEST(apply_policy, pseudonymize_and_on_prem_only) {
    guard_policy policy;
    policy.rules = {{policy_action::on_prem_only, {entity_type::us_ssn}, 0.0f},
                    {policy_action::pseudonymize, {entity_type::email_address, entity_type::credit_card}, 0.0f}};
    pseudonymizer names;
    const guarded_text out = apply_policy(text, default_scanner().scan(text), policy, names);
    EXPECT_EQ(out.text, "Contact <EMAIL_ADDRESS_1> or 474-49-7577, card <CREDIT_CARD_1>.");
    EXPECT_TRUE(out.result.on_prem_only);
    EXPECT_EQ(out.result.pseudonymized[index_of(entity_type::email_address)], 1u);
    EXPECT_EQ(names.restore(out.text), text);
}

TEST(apply_policy, min_score_limits_coverage) {
    guard_policy policy;
    policy.rules = {{policy_action::redact, {}, 0.95f}};
    pseudonymizer names;
    const std::string t = "mail a@b.io on 2/8/1935";
    const guarded_text out = apply_policy(t, default_scanner().scan(t), policy, names);
    EXPECT_EQ(out.text, "mail <EMAIL_ADDRESS> on 2/8/1935");
    EXPECT_EQ(out.result.found[index_of(entity_type::date_time)], 1u);
}

TEST(guard_text, blocked_request_is_a_403_error_without_values) {
    guard_policy policy;
    policy.rules = {{policy_action::block, {entity_type::credit_card, entity_type::us_ssn}, 0.0f}};
    pseudonymizer names;
    const auto out = guard_text(default_scanner(), text, policy, names);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.err().kind, tiergate::error_kind::permission);
    EXPECT_EQ(out.err().code, "pii_blocked");
    EXPECT_NE(out.err().message.find("CREDIT_CARD=1"), std::string::npos);
    EXPECT_NE(out.err().message.find("US_SSN=1"), std::string::npos);
    EXPECT_EQ(out.err().message.find("4111"), std::string::npos);
    EXPECT_EQ(out.err().message.find("474-49"), std::string::npos);
}

TEST(guard_result, merges_and_describes_counts) {
    guard_result a;
    a.found[index_of(entity_type::person)] = 2;
    guard_result b;
    b.found[index_of(entity_type::person)] = 1;
    b.found[index_of(entity_type::iban_code)] = 1;
    b.on_prem_only = true;
    a.merge(b);
    EXPECT_EQ(a.total_found(), 4u);
    EXPECT_TRUE(a.on_prem_only);
    EXPECT_EQ(describe_counts(a.found), "IBAN_CODE=1,PERSON=3");
}
