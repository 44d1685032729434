#include "engine/bounded_tokenize.h"

#include <gtest/gtest.h>

#include <string>

using namespace tiergate::engine;

namespace {

// A tokenizer that counts the bytes it is handed: `bytes_per_token` input bytes per token
// (0: one token per UTF-8 character), a BOS token on the first piece.
struct counting_tokenizer {
    size_t bytes_per_token = 1;
    size_t calls = 0;
    size_t bytes_seen = 0;
    size_t largest_call = 0;

    std::vector<int32_t> operator()(std::string_view text, bool first) {
        ++calls;
        bytes_seen += text.size();
        largest_call = std::max(largest_call, text.size());
        std::vector<int32_t> out;
        if (first) {
            out.push_back(1);
        }
        if (bytes_per_token == 0) {
            for (unsigned char c : text) {
                if ((c & 0xC0) != 0x80) {
                    out.push_back(static_cast<int32_t>(c));
                }
            }
        } else {
            for (size_t i = 0; i < text.size(); i += bytes_per_token) {
                out.push_back(static_cast<int32_t>(static_cast<unsigned char>(text[i])));
            }
        }
        return out;
    }
};

bounded_tokens run(std::string_view text, size_t max_tokens, size_t max_token_bytes, counting_tokenizer & t) {
    bounded_tokenize_options o;
    o.max_tokens = max_tokens;
    o.max_token_bytes = max_token_bytes;
    return tokenize_bounded(text, o, [&](std::string_view piece, bool first) { return t(piece, first); });
}

std::string repeat(std::string_view unit, size_t n) {
    std::string s;
    s.reserve(unit.size() * n);
    for (size_t i = 0; i < n; ++i) {
        s += unit;
    }
    return s;
}

}  // namespace

TEST(bounded_tokenize, a_prompt_that_fits_gets_the_exact_tokens_of_one_call) {
    counting_tokenizer t;
    const std::string text = "Once upon a time";
    auto r = run(text, 100, 0, t);
    ASSERT_FALSE(r.over_limit);
    EXPECT_EQ(r.tokens, counting_tokenizer{}(text, true));
    EXPECT_EQ(t.calls, 1u);
}

TEST(bounded_tokenize, a_large_prompt_that_fits_is_still_exact) {
    // 200 KB at 100 bytes per token: 2,000 tokens in a 4,000-token context
    counting_tokenizer t;
    t.bytes_per_token = 100;
    const std::string text = repeat("lorem ipsum dolor sit amet ", 200000 / 27);
    auto r = run(text, 4000, 0, t);
    ASSERT_FALSE(r.over_limit);
    counting_tokenizer ref;
    ref.bytes_per_token = 100;
    EXPECT_EQ(r.tokens, ref(text, true));
    // one counting pass and one exact call: linear work
    EXPECT_LE(t.bytes_seen, 2 * text.size());
}

TEST(bounded_tokenize, exactly_at_the_limit_fits_and_one_more_does_not) {
    counting_tokenizer t;
    const std::string text(99, 'x');  // BOS + 99 = 100 tokens
    EXPECT_FALSE(run(text, 100, 0, t).over_limit);
    auto r = run(text + "x", 100, 0, t);
    ASSERT_TRUE(r.over_limit);
    EXPECT_TRUE(r.exact_count);
    EXPECT_EQ(r.at_least, 101u);
    EXPECT_TRUE(r.tokens.empty());
}

TEST(bounded_tokenize, the_byte_bound_refuses_without_tokenizing) {
    counting_tokenizer t;
    const std::string text(100000, 'a');
    auto r = run(text, 2047, 16, t);  // at least 6,250 tokens
    ASSERT_TRUE(r.over_limit);
    EXPECT_FALSE(r.exact_count);
    EXPECT_GE(r.at_least, 6250u);
    EXPECT_EQ(t.calls, 0u);
}

TEST(bounded_tokenize, text_far_over_the_limit_stops_the_count_early) {
    // 480 KB of 4-byte characters, one token each: far more than 2,047 tokens
    counting_tokenizer t;
    t.bytes_per_token = 0;
    const std::string text = repeat("\xF0\x9F\x98\x80", 120000);
    auto r = run(text, 2047, 0, t);
    ASSERT_TRUE(r.over_limit);
    EXPECT_GT(r.at_least, 2047u);
    // never the whole text in one call, and only the pieces up to the verdict
    EXPECT_LE(t.largest_call, 512u);
    EXPECT_LT(t.bytes_seen, 64u * 1024u);
}

TEST(bounded_tokenize, work_stays_linear_when_nothing_refuses_early) {
    // tokens of 400 bytes: the count grows slowly, the whole text is counted once, then the
    // exact call refuses it
    counting_tokenizer t;
    t.bytes_per_token = 400;
    const std::string text = repeat("abcd ", 2'000'000 / 5);
    auto r = run(text, 2047, 0, t);
    ASSERT_TRUE(r.over_limit);
    EXPECT_LE(t.bytes_seen, 2 * text.size());
}

TEST(bounded_tokenize, the_margin_keeps_cut_effects_from_refusing_a_prompt_that_fits) {
    // A tokenizer that gains a token at every cut (the leading space a fresh call adds):
    // a prompt just under the limit must still be accepted.
    auto tok = [](std::string_view text, bool first) {
        return std::vector<int32_t>(text.size() / 8 + (first ? 1 : 2), 7);
    };
    const std::string text = repeat("word ", 8 * 4000 / 5);  // 32,000 bytes: 4,001 tokens exact
    bounded_tokenize_options o;
    o.max_tokens = 4095;
    auto r = tokenize_bounded(text, o, tok);
    EXPECT_FALSE(r.over_limit);
    EXPECT_EQ(r.tokens.size(), text.size() / 8 + 1);
}

TEST(bounded_tokenize, cuts_fall_before_whitespace_or_on_a_character_boundary) {
    const std::string words = repeat("hello world ", 100);
    for (size_t from = 0; from < words.size();) {
        const size_t to = next_cut(words, from, 64);
        ASSERT_GT(to, from);
        if (to < words.size()) {
            EXPECT_EQ(words[to], ' ');
        }
        from = to;
    }
    const std::string emoji = repeat("\xF0\x9F\x98\x80", 100);
    for (size_t from = 0; from < emoji.size();) {
        const size_t to = next_cut(emoji, from, 63);
        ASSERT_GT(to, from);
        EXPECT_EQ(to % 4, 0u) << "cut inside a character at " << to;
        from = to;
    }
    EXPECT_EQ(next_cut("short", 0, 64), 5u);
}
