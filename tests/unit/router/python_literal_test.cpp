#include "eval/python_literal.h"

#include <gtest/gtest.h>

using tiergate::eval::parse_python_string_list;

TEST(python_literal, single_and_double_quoted_items) {
    auto v = parse_python_string_list("['first', \"it's\" , 'say \"x\"']");
    ASSERT_TRUE(v.ok()) << v.err().message;
    EXPECT_EQ(*v, (std::vector<std::string>{"first", "it's", "say \"x\""}));
}

TEST(python_literal, escapes_decode_to_utf8) {
    auto v = parse_python_string_list(R"(['a\nb\tc\\d\'e', '\x41\u00e9\U0001F600', 'keep\q', '\101'])");
    ASSERT_TRUE(v.ok()) << v.err().message;
    ASSERT_EQ(v->size(), 4u);
    EXPECT_EQ((*v)[0], "a\nb\tc\\d'e");
    EXPECT_EQ((*v)[1], "A\xC3\xA9\xF0\x9F\x98\x80");
    EXPECT_EQ((*v)[2], "keep\\q");
    EXPECT_EQ((*v)[3], "A");
}

TEST(python_literal, lone_surrogates_become_the_replacement_character) {
    auto v = parse_python_string_list(R"(['a\ud800b', '\udfff'])");
    ASSERT_TRUE(v.ok()) << v.err().message;
    ASSERT_EQ(v->size(), 2u);
    EXPECT_EQ((*v)[0], "a\xEF\xBF\xBD" "b");
    EXPECT_EQ((*v)[1], "\xEF\xBF\xBD");
}

TEST(python_literal, empty_list_and_trailing_comma) {
    auto empty = parse_python_string_list(" [ ] ");
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->empty());
    auto trailing = parse_python_string_list("['x',]");
    ASSERT_TRUE(trailing.ok());
    EXPECT_EQ(trailing->size(), 1u);
}

TEST(python_literal, malformed_literals_are_errors) {
    EXPECT_FALSE(parse_python_string_list("'no list'").ok());
    EXPECT_FALSE(parse_python_string_list("['open").ok());
    EXPECT_FALSE(parse_python_string_list("['a' 'b']").ok());
    EXPECT_FALSE(parse_python_string_list("['a'] tail").ok());
    EXPECT_FALSE(parse_python_string_list(R"(['\xZZ'])").ok());
    EXPECT_FALSE(parse_python_string_list("[1, 2]").ok());
    EXPECT_FALSE(parse_python_string_list("['a\\").ok());
}
