#include "engine/text_releaser.h"

#include <gtest/gtest.h>

using tiergate::engine::text_releaser;

TEST(text_releaser, releases_plain_text_at_once) {
    text_releaser r({});
    EXPECT_EQ(r.push("Hello"), "Hello");
    EXPECT_EQ(r.push(" world"), " world");
    EXPECT_EQ(r.finish(), "");
    EXPECT_EQ(r.text(), "Hello world");
}

TEST(text_releaser, holds_back_a_possible_stop_prefix) {
    text_releaser r({"\nUser:"});
    EXPECT_EQ(r.push("Hi there"), "Hi there");
    EXPECT_EQ(r.push("\nUs"), "");
    EXPECT_EQ(r.push("ually"), "\nUsually");
    EXPECT_FALSE(r.stopped());
}

TEST(text_releaser, stop_sequence_split_across_tokens_is_removed) {
    text_releaser r({"END"});
    EXPECT_EQ(r.push("abc E"), "abc ");
    EXPECT_EQ(r.push("N"), "");
    EXPECT_EQ(r.push("Dxyz"), "");
    EXPECT_TRUE(r.stopped());
    EXPECT_EQ(r.text(), "abc ");
    EXPECT_EQ(r.push("more"), "");
}

TEST(text_releaser, earliest_of_several_stops_wins) {
    text_releaser r({"bb", "a"});
    EXPECT_EQ(r.push("xxbba"), "xx");
    EXPECT_TRUE(r.stopped());
}

TEST(text_releaser, holds_incomplete_utf8) {
    text_releaser r({});
    EXPECT_EQ(r.push("caf\xc3"), "caf");
    EXPECT_EQ(r.push("\xa9!"), "\xc3\xa9!");
}

TEST(text_releaser, finish_flushes_held_text) {
    text_releaser r({"STOP"});
    EXPECT_EQ(r.push("go ST"), "go ");
    EXPECT_EQ(r.finish(), "ST");
    EXPECT_EQ(r.text(), "go ST");
}
