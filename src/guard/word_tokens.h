#pragma once
// Splits text into word, number and punctuation tokens for the name,
// place and address recognizers. Linear in the text; invalid UTF-8 bytes are
// treated as punctuation.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::guard {

enum class token_kind : uint8_t { word, number, punct, newline };

struct word_token {
    size_t start = 0;
    size_t end = 0;
    size_t lower_start = 0;  // offset of the lowercase form in word_tokens::lower
    size_t lower_size = 0;
    token_kind kind = token_kind::punct;
    bool capitalized = false;  // first letter upper case
    bool all_caps = false;     // two or more letters, none lower case
    bool space_before = false;
};

struct word_tokens {
    std::vector<word_token> tokens;
    std::string lower;  // lowercase forms of the word tokens, back to back

    std::string_view lower_of(const word_token & t) const { return std::string_view(lower).substr(t.lower_start, t.lower_size); }
};

void tokenize_words(std::string_view text, word_tokens & out);

}  // namespace tiergate::guard
