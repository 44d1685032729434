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

// Offsets are 32-bit: texts are tokenized in pieces of at most
// word_tokens::max_text bytes.
struct word_token {
    uint32_t start = 0;
    uint32_t end = 0;
    uint32_t lower_start = 0;  // offset of the lowercase form in the lowercase buffer
    uint32_t lower_size = 0;
    token_kind kind = token_kind::punct;
    bool capitalized = false;  // first letter upper case
    bool all_caps = false;     // two or more letters, none lower case
    bool space_before = false;
};

// The tokens of one text, and the lowercase forms of its words back to back,
// followed by at least `padding` zero bytes (lookups read eight bytes at a
// time). The storage is kept from text to text.
class word_tokens {
  public:
    static constexpr size_t padding = 8;
    static constexpr size_t max_text = size_t{1} << 31;

    size_t size() const { return size_; }
    const word_token & operator[](size_t i) const { return tokens_[i]; }
    const word_token * begin() const { return tokens_.data(); }
    const word_token * end() const { return tokens_.data() + size_; }
    // tokens the storage holds without growing
    size_t capacity() const { return tokens_.size(); }

    std::string_view lower_of(const word_token & t) const { return std::string_view(lower_.data() + t.lower_start, t.lower_size); }
    const char * lower_data(const word_token & t) const { return lower_.data() + t.lower_start; }

  private:
    friend void tokenize_words(std::string_view text, word_tokens & out);

    std::vector<word_token> tokens_;  // the first size_ belong to the current text
    size_t size_ = 0;
    std::string lower_;
};

// Tokenizes text (at most word_tokens::max_text bytes) into out.
void tokenize_words(std::string_view text, word_tokens & out);

}  // namespace tiergate::guard
