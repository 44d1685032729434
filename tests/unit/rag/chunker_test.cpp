#include "core/utf8.h"
#include "rag/chunker.h"
#include "rag/fts_query.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace tiergate;
using namespace tiergate::rag;

namespace {

size_t count_words(std::string_view t) {
    size_t n = 0;
    bool in = false;
    for (char c : t) {
        const bool space = c == ' ' || c == '\n' || c == '\t';
        n += !space && !in;
        in = !space;
    }
    return n;
}

std::string paragraphs(int n, int sentences, int words) {
    std::string t;
    for (int p = 0; p < n; ++p) {
        for (int s = 0; s < sentences; ++s) {
            for (int w = 0; w < words; ++w) {
                t += "word" + std::to_string(p * 1000 + s * 10 + w) + (w + 1 < words ? " " : ". ");
            }
        }
        t += "\n\n";
    }
    return t;
}

}  // namespace

TEST(RagChunker, SettingsAreValidated) {
    EXPECT_TRUE(validate_chunk_settings({256, 32}));
    EXPECT_FALSE(validate_chunk_settings({8, 0}));
    EXPECT_FALSE(validate_chunk_settings({100000, 0}));
    EXPECT_FALSE(validate_chunk_settings({100, 60}));  // overlap over half the chunk
}

TEST(RagChunker, ChunksRespectTheTokenBoundAndCoverTheText) {
    const std::string text = paragraphs(12, 5, 9);
    const chunk_settings s{40, 8};
    const auto chunks = chunk_text(text, s, count_words);
    ASSERT_GT(chunks.size(), 5u);
    size_t covered_to = 0;
    for (const chunk_span & c : chunks) {
        EXPECT_LE(c.tokens, s.max_tokens);
        EXPECT_EQ(c.tokens, count_words(std::string_view(text).substr(c.begin, c.end - c.begin)));
        const std::string_view gap = c.begin > covered_to ? std::string_view(text).substr(covered_to, c.begin - covered_to)
                                                          : std::string_view();
        EXPECT_EQ(gap.find_first_not_of(" \n"), std::string_view::npos) << "a gap in the coverage: " << gap;
        covered_to = std::max(covered_to, c.end);
    }
    // every word of the text is in some chunk
    EXPECT_GE(covered_to, text.find_last_not_of(" \n") + 1);
}

TEST(RagChunker, OverlapRepeatsTheEndOfThePreviousChunk) {
    const std::string text = paragraphs(6, 6, 6);
    const auto chunks = chunk_text(text, {30, 10}, count_words);
    ASSERT_GT(chunks.size(), 2u);
    for (size_t i = 1; i < chunks.size(); ++i) {
        EXPECT_LT(chunks[i].begin, chunks[i - 1].end) << "chunk " << i << " does not overlap";
        const size_t overlap = count_words(std::string_view(text).substr(chunks[i].begin, chunks[i - 1].end - chunks[i].begin));
        EXPECT_LE(overlap, 10u);
    }
    const auto without = chunk_text(text, {30, 0}, count_words);
    for (size_t i = 1; i < without.size(); ++i) {
        EXPECT_GE(without[i].begin, without[i - 1].end);
    }
}

TEST(RagChunker, CutsAtParagraphsWhenTheyFit) {
    const std::string text = "First paragraph here.\n\nSecond paragraph here.\n\nThird paragraph.";
    const auto chunks = chunk_text(text, {16, 0}, count_words);
    ASSERT_FALSE(chunks.empty());
    for (const chunk_span & c : chunks) {
        const std::string_view piece = std::string_view(text).substr(c.begin, c.end - c.begin);
        // no chunk starts inside a word
        EXPECT_TRUE(c.begin == 0 || text[c.begin - 1] == ' ' || text[c.begin - 1] == '\n') << piece;
    }
    const auto one = chunk_text(text, {256, 0}, count_words);
    ASSERT_EQ(one.size(), 1u);
}

TEST(RagChunker, AnOverlongWordRunIsCutAndNeverSplitsUtf8) {
    std::string text;
    for (int i = 0; i < 3000; ++i) {
        text += "\xC3\xA9t\xC3\xA9";  // "été" with no spaces: one giant word
    }
    const auto chunks = chunk_text(text, {64, 8});
    ASSERT_GT(chunks.size(), 1u);
    for (const chunk_span & c : chunks) {
        EXPECT_TRUE(is_valid_utf8(std::string_view(text).substr(c.begin, c.end - c.begin)));
        EXPECT_LE(c.tokens, 64u);
    }
}

TEST(RagChunker, BlankTextHasNoChunks) {
    EXPECT_TRUE(chunk_text("", {}).empty());
    EXPECT_TRUE(chunk_text(" \n\n\t ", {}).empty());
}

TEST(RagFtsQuery, StopListIsSortedAndUsed) {
    const auto list = stop_word_list();
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
    EXPECT_TRUE(std::adjacent_find(list.begin(), list.end()) == list.end());
    EXPECT_TRUE(is_stop_word("the"));
    EXPECT_FALSE(is_stop_word("boundary"));
}

TEST(RagFtsQuery, TermsAreQuotedSoNoQueryTextIsSyntax) {
    const auto terms = query_terms("What is the BOUNDARY-layer \"NEAR\" boundary? OR NOT col:x*");
    EXPECT_EQ(terms, (std::vector<std::string>{"boundary", "layer", "near", "col", "x"}));
    EXPECT_EQ(fts_match_expression(terms), "\"boundary\" OR \"layer\" OR \"near\" OR \"col\" OR \"x\"");
    EXPECT_EQ(fts_match_expression(query_terms("the of and")), "");
    EXPECT_EQ(query_terms(std::string(10000, 'a') + " b c d", 2).size(), 2u);
}

TEST(RagFtsQuery, WordsKeepRepeats) {
    EXPECT_EQ(words("Flow, flow and FLOW"), (std::vector<std::string>{"flow", "flow", "flow"}));
}
