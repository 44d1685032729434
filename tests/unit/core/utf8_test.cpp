#include "core/utf8.h"

#include <gtest/gtest.h>

using namespace tiergate;

TEST(utf8, accepts_valid_text) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
}

TEST(utf8, rejects_invalid_sequences) {
    EXPECT_EQ(find_invalid_utf8("ab\xff"), 2u);
    EXPECT_EQ(find_invalid_utf8("\xc0\xaf"), 0u);          // overlong
    EXPECT_EQ(find_invalid_utf8("x\xed\xa0\x80"), 1u);      // surrogate
    EXPECT_EQ(find_invalid_utf8("\xf4\x90\x80\x80"), 0u);  // > U+10FFFF
    EXPECT_EQ(find_invalid_utf8("\xe2\x82"), 0u);          // truncated
    EXPECT_EQ(find_invalid_utf8("\xe2\x41\x41"), 0u);      // bad continuation
}

TEST(utf8, complete_prefix_holds_back_unfinished_sequences) {
    EXPECT_EQ(complete_utf8_prefix("abc"), 3u);
    EXPECT_EQ(complete_utf8_prefix("ab\xe2\x82"), 2u);
    EXPECT_EQ(complete_utf8_prefix("ab\xe2\x82\xac"), 5u);
    EXPECT_EQ(complete_utf8_prefix("\xf0\x9f\x98"), 0u);
    EXPECT_EQ(complete_utf8_prefix("a\xc3"), 1u);
}
