#pragma once
// What a semantic cache match must not change: the numbers, the negations
// and the content words of a question. A lexical embedding scores "close the
// invoice for finance" and "close the invoice for legal" as near-identical;
// these terms tell them apart. Words are split on anything but letters,
// digits, apostrophes and non-ASCII bytes, lower-cased; English stop words
// and contraction suffixes ('s, 're, ...) are left out of the content words.

#include <string>
#include <string_view>
#include <vector>

namespace tiergate::cache {

struct salient_terms {
    std::vector<std::string> numbers;  // sorted; tokens holding a digit
    std::vector<std::string> content;  // sorted, unique
    int negations = 0;                 // not, no, never, ..., and words ending in n't
};

salient_terms salient_terms_of(std::string_view text);

// A stored question and a new one ask the same thing as far as these terms
// tell: equal numbers and negations, none of the stored content words
// missing, and at most `max_added` new content words (by default none: an
// added word may be a qualifier, "in Berlin", that changes the answer).
bool same_question(const salient_terms & stored, const salient_terms & asked, size_t max_added = 0);

}  // namespace tiergate::cache
