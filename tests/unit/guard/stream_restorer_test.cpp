#include "guard/stream_restorer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tiergate::guard;

namespace {

pseudonymizer make_names() {
    pseudonymizer names;
    names.placeholder_for(entity_type::person, "Grace Hopper");
    names.placeholder_for(entity_type::person, "Alan Turing");
    names.placeholder_for(entity_type::email_address, "grace@navy.mil");
    return names;
}

}  // namespace

TEST(stream_restorer, restores_across_every_two_way_split) {
    const pseudonymizer names = make_names();
    const std::string answer = "Hello <PERSON_1>, <PERSON_2> wrote to <EMAIL_ADDRESS_1>. x<y, <PERSON_9> <PERSON_1>";
    const std::string expected = names.restore(answer);
    ASSERT_EQ(expected, "Hello Grace Hopper, Alan Turing wrote to grace@navy.mil. x<y, <PERSON_9> Grace Hopper");
    for (size_t split = 0; split <= answer.size(); ++split) {
        stream_restorer restorer(names);
        std::string out = restorer.feed(answer.substr(0, split));
        out += restorer.feed(answer.substr(split));
        out += restorer.finish();
        EXPECT_EQ(out, expected) << "split at " << split;
    }
}

TEST(stream_restorer, restores_with_every_three_way_split) {
    const pseudonymizer names = make_names();
    const std::string answer = "<PERSON_2> and <PERSON_1>!";
    const std::string expected = names.restore(answer);
    for (size_t a = 0; a <= answer.size(); ++a) {
        for (size_t b = a; b <= answer.size(); ++b) {
            stream_restorer restorer(names);
            std::string out = restorer.feed(answer.substr(0, a));
            out += restorer.feed(answer.substr(a, b - a));
            out += restorer.feed(answer.substr(b));
            out += restorer.finish();
            EXPECT_EQ(out, expected) << a << "," << b;
        }
    }
}

TEST(stream_restorer, one_byte_chunks) {
    const pseudonymizer names = make_names();
    const std::string answer = "<<PERSON_1>><PERSON_2";
    stream_restorer restorer(names);
    std::string out;
    for (char c : answer) {
        out += restorer.feed(std::string_view(&c, 1));
    }
    out += restorer.finish();
    EXPECT_EQ(out, "<Grace Hopper><PERSON_2");
}

TEST(stream_restorer, holds_back_only_a_placeholder_prefix) {
    const pseudonymizer names = make_names();
    stream_restorer restorer(names);
    EXPECT_EQ(restorer.feed("Hi <PERS"), "Hi ");
    EXPECT_EQ(restorer.held_back(), 5u);
    EXPECT_EQ(restorer.feed("ON_2> a <b> c <"), "Alan Turing a <b> c ");
    EXPECT_EQ(restorer.held_back(), 1u);
    EXPECT_EQ(restorer.feed("3 is less"), "<3 is less");
    EXPECT_EQ(restorer.held_back(), 0u);
    EXPECT_EQ(restorer.finish(), "");
}

// Inside a tool call's arguments the answer is JSON: a restored value with a
// quote, a backslash or a newline is escaped, so the arguments stay valid.
TEST(stream_restorer, inside_json_a_restored_value_is_escaped) {
    pseudonymizer names;
    names.placeholder_for(entity_type::person, "Dwayne \"The Rock\" Johnson");
    names.placeholder_for(entity_type::street_address, "1 Main St\\Apt 2\nSpringfield");
    const std::string args = R"({"to":"<PERSON_1>","where":"<STREET_ADDRESS_1>"})";
    for (size_t split = 0; split <= args.size(); ++split) {
        stream_restorer restorer(names, true);
        std::string out = restorer.feed(args.substr(0, split));
        out += restorer.feed(args.substr(split));
        out += restorer.finish();
        EXPECT_EQ(out, R"({"to":"Dwayne \"The Rock\" Johnson","where":"1 Main St\\Apt 2\nSpringfield"})")
            << "split at " << split;
    }
    stream_restorer text(names);
    EXPECT_EQ(text.feed("<PERSON_1>"), "Dwayne \"The Rock\" Johnson");
}
