#include "guard/pseudonymizer.h"
#include "guard/scanner.h"

#include <gtest/gtest.h>

using namespace tiergate::guard;

TEST(pseudonymizer, same_value_gets_same_placeholder_across_messages) {
    pseudonymizer names;
    const std::string & a = names.placeholder_for(entity_type::person, "Ada Lovelace");
    EXPECT_EQ(a, "<PERSON_1>");
    EXPECT_EQ(names.placeholder_for(entity_type::person, "Charles Babbage"), "<PERSON_2>");
    EXPECT_EQ(names.placeholder_for(entity_type::person, "Ada Lovelace"), "<PERSON_1>");
    EXPECT_EQ(names.placeholder_for(entity_type::email_address, "ada@example.com"), "<EMAIL_ADDRESS_1>");
    EXPECT_EQ(names.size(), 3u);
    EXPECT_EQ(*names.value_of("<PERSON_2>"), "Charles Babbage");
    EXPECT_FALSE(names.value_of("<PERSON_3>").has_value());
}

TEST(pseudonymizer, pseudonymizes_and_restores_round_trip) {
    pseudonymizer names;
    const std::string first = "Email jane@example.com about card 4111 1111 1111 1111.";
    const std::string masked = names.pseudonymize(first, scan(first));
    EXPECT_EQ(masked, "Email <EMAIL_ADDRESS_1> about card <CREDIT_CARD_1>.");
    EXPECT_EQ(names.restore(masked), first);

    const std::string second = "Did jane@example.com reply?";
    EXPECT_EQ(names.pseudonymize(second, scan(second)), "Did <EMAIL_ADDRESS_1> reply?");

    EXPECT_EQ(names.restore("I wrote to <EMAIL_ADDRESS_1>; <UNKNOWN_1> and <EMAIL_ADDRESS_2> stay, a < b."),
              "I wrote to jane@example.com; <UNKNOWN_1> and <EMAIL_ADDRESS_2> stay, a < b.");
}

// Found by fuzz_stream_restorer: a prompt that already held "<PERSON_2>"
// had that text turned into a real name when the answer was restored.
TEST(pseudonymizer, placeholders_typed_by_the_user_are_never_assigned) {
    pseudonymizer names;
    const std::string text = "Write to jane@example.com, not to <EMAIL_ADDRESS_1> or <PERSON_1>.";
    const std::string masked = names.pseudonymize(text, scan(text));
    EXPECT_EQ(masked.find("jane@example.com"), std::string::npos);
    EXPECT_NE(masked.find("<EMAIL_ADDRESS_2>"), std::string::npos) << masked;
    EXPECT_EQ(names.restore(masked), text);
    EXPECT_EQ(names.restore("<EMAIL_ADDRESS_1> <EMAIL_ADDRESS_2>"), "<EMAIL_ADDRESS_1> jane@example.com");

    // across messages: reserved before any is pseudonymized
    pseudonymizer conversation;
    const std::string later = "and <PERSON_1> too";
    conversation.reserve_literals(later);
    EXPECT_EQ(conversation.placeholder_for(entity_type::person, "Ada Lovelace"), "<PERSON_2>");
}

TEST(pseudonymizer, placeholder_prefixes) {
    pseudonymizer names;
    names.placeholder_for(entity_type::person, "x");
    EXPECT_TRUE(names.is_placeholder_prefix("<"));
    EXPECT_TRUE(names.is_placeholder_prefix("<PER"));
    EXPECT_TRUE(names.is_placeholder_prefix("<PERSON_1"));
    EXPECT_FALSE(names.is_placeholder_prefix("<PX"));
    EXPECT_FALSE(names.is_placeholder_prefix("<PERSON_2"));
}

TEST(pseudonymizer, conceal_turns_values_standing_as_words_into_placeholders) {
    pseudonymizer names;
    names.placeholder_for(entity_type::person, "Ann");
    names.placeholder_for(entity_type::person, "Ann Lee");
    names.placeholder_for(entity_type::email_address, "ann@example.com");
    const std::string answer = "Dear Ann Lee, your Annual report from Ann (ann@example.com) is due. Hanna, Ann.";
    const std::string concealed = names.conceal(answer);
    EXPECT_EQ(concealed, "Dear <PERSON_2>, your Annual report from <PERSON_1> (<EMAIL_ADDRESS_1>) is due. Hanna, <PERSON_1>.");
    EXPECT_EQ(names.restore(concealed), answer) << "restoring gives the answer back";
    EXPECT_EQ(names.conceal(""), "");
    EXPECT_EQ(names.conceal("no values here"), "no values here");
}
