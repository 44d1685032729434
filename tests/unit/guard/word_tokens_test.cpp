#include "guard/detectors.h"
#include "guard/recognizer_options.h"
#include "guard/word_tokens.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace tiergate::guard;

namespace {

struct token_view {
    std::string text;
    std::string lower;
    token_kind kind;
    bool capitalized;
    bool all_caps;
    bool space_before;
};

std::vector<token_view> tokens_of(const std::string & text) {
    word_tokens words;
    tokenize_words(text, words);
    std::vector<token_view> out;
    for (const word_token & t : words) {
        out.push_back({text.substr(t.start, t.end - t.start), std::string(words.lower_of(t)), t.kind, t.capitalized,
                       t.all_caps, t.space_before});
    }
    return out;
}

}  // namespace

TEST(tokenize_words, splits_words_numbers_punctuation_and_lines) {
    const auto t = tokens_of("Hi Anna,\n call 555-0134 NOW");
    ASSERT_EQ(t.size(), 9u);
    EXPECT_EQ(t[0].text, "Hi");
    EXPECT_EQ(t[0].lower, "hi");
    EXPECT_TRUE(t[0].capitalized);
    EXPECT_TRUE(t[0].space_before);  // the start of the text counts as a space
    EXPECT_EQ(t[1].text, "Anna");
    EXPECT_EQ(t[2].kind, token_kind::punct);
    EXPECT_FALSE(t[2].space_before);
    EXPECT_EQ(t[3].kind, token_kind::newline);
    EXPECT_EQ(t[4].text, "call");
    EXPECT_FALSE(t[4].capitalized);
    EXPECT_EQ(t[5].kind, token_kind::number);
    EXPECT_EQ(t[5].text, "555");
    EXPECT_EQ(t[6].text, "-");
    EXPECT_EQ(t[7].text, "0134");
    EXPECT_EQ(t[8].text, "NOW");
    EXPECT_TRUE(t[8].all_caps);
}

TEST(tokenize_words, lowercases_long_words_and_non_ascii_letters) {
    const auto t = tokens_of("INTERNATIONALIZATION Ærøskøbing ŁÓDŹ Μαρία ИВАН o'Neil Jean-Luc rock’n’roll");
    ASSERT_EQ(t.size(), 8u);
    EXPECT_EQ(t[0].lower, "internationalization");
    EXPECT_TRUE(t[0].all_caps);
    EXPECT_EQ(t[1].lower, "ærøskøbing");
    EXPECT_TRUE(t[1].capitalized);
    EXPECT_FALSE(t[1].all_caps);
    EXPECT_EQ(t[2].lower, "łódź");
    EXPECT_TRUE(t[2].all_caps);
    EXPECT_EQ(t[3].lower, "μαρία");
    EXPECT_EQ(t[4].lower, "иван");
    EXPECT_EQ(t[5].lower, "o'neil");
    EXPECT_EQ(t[6].lower, "jean-luc");
    EXPECT_EQ(t[7].text, "rock’n’roll");
    EXPECT_EQ(t[7].lower, "rock'n'roll");
}

TEST(tokenize_words, word_lengths_around_the_eight_byte_blocks) {
    for (size_t length = 1; length <= 40; ++length) {
        std::string word(length, 'B');
        const std::string text = "x " + word + "\xC3\xA9z, " + word;
        const auto t = tokens_of(text);
        ASSERT_EQ(t.size(), 4u) << length;
        EXPECT_EQ(t[1].text, word + "\xC3\xA9z");
        EXPECT_EQ(t[1].lower, std::string(length, 'b') + "\xC3\xA9z");
        EXPECT_FALSE(t[1].all_caps);
        EXPECT_EQ(t[3].lower, std::string(length, 'b'));
        EXPECT_EQ(t[3].all_caps, length >= 2);
    }
}

TEST(tokenize_words, reuses_its_storage_across_texts) {
    word_tokens words;
    tokenize_words(std::string(5000, 'a') + " b", words);
    EXPECT_EQ(words.size(), 2u);
    tokenize_words("one two three", words);
    ASSERT_EQ(words.size(), 3u);
    EXPECT_EQ(words.lower_of(words[2]), "three");
    tokenize_words("", words);
    EXPECT_EQ(words.size(), 0u);
}

TEST(detect_names, pieces_find_what_one_pass_finds) {
    std::string text;
    for (int i = 0; i < 40; ++i) {
        text += "Dear Mr. Okafor, please call Maria Gonzalez about 12 Oak Lane.\n";
    }
    const recognizer_options options;
    std::vector<finding> whole;
    detect_names(text, options, whole);
    std::vector<finding> pieces;
    detect_names_in_pieces(text, options, pieces, 200);
    // each pass appends in its own order: compare in text order
    const auto by_start = [](const finding & a, const finding & b) { return a.start < b.start; };
    std::sort(whole.begin(), whole.end(), by_start);
    std::sort(pieces.begin(), pieces.end(), by_start);
    ASSERT_GT(whole.size(), 100u);
    ASSERT_EQ(pieces.size(), whole.size());
    for (size_t i = 0; i < whole.size(); ++i) {
        EXPECT_EQ(pieces[i].type, whole[i].type);
        EXPECT_EQ(text.substr(pieces[i].start, pieces[i].end - pieces[i].start),
                  text.substr(whole[i].start, whole[i].end - whole[i].start));
    }
}
