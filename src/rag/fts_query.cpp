#include "rag/fts_query.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace tiergate::rag {

namespace {

// A common English stop list (articles, pronouns, auxiliaries, prepositions,
// conjunctions, question words), sorted for binary search (a unit test checks the order).
constexpr std::array<std::string_view, 127> stop_words = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "may", "me", "might", "more", "most", "must", "my", "myself", "no", "nor", "not", "now",
    "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same",
    "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
    "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
    "will", "with", "would", "you", "your", "yours", "yourself",
};

bool word_byte(unsigned char c) {
    // unicode61 treats ASCII letters and digits as token characters and, by
    // default, every non-ASCII character of a letter or number class; bytes of
    // multi-byte sequences are kept whole here and the tokenizer has the last word.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

bool is_stop_word(std::string_view word) {
    return std::binary_search(stop_words.begin(), stop_words.end(), word);
}

std::vector<std::string_view> stop_word_list() { return {stop_words.begin(), stop_words.end()}; }

std::vector<std::string> words(std::string_view text, size_t max_words) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < text.size() && out.size() < max_words) {
        while (i < text.size() && !word_byte(static_cast<unsigned char>(text[i]))) {
            ++i;
        }
        size_t j = i;
        while (j < text.size() && word_byte(static_cast<unsigned char>(text[j]))) {
            ++j;
        }
        if (j > i && j - i <= 64) {
            std::string w(text.substr(i, j - i));
            std::transform(w.begin(), w.end(), w.begin(),
                           [](unsigned char c) { return c < 0x80 ? static_cast<char>(std::tolower(c)) : c; });
            if (!is_stop_word(w)) {
                out.push_back(std::move(w));
            }
        }
        i = j;
    }
    return out;
}

std::vector<std::string> query_terms(std::string_view query, size_t max_terms) {
    std::vector<std::string> terms;
    for (std::string & w : words(query, SIZE_MAX)) {
        if (terms.size() >= max_terms) {
            break;
        }
        if (std::find(terms.begin(), terms.end(), w) == terms.end()) {
            terms.push_back(std::move(w));
        }
    }
    return terms;
}

std::string fts_quote(std::string_view term) {
    std::string out = "\"";
    for (char c : term) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

std::string fts_match_expression(const std::vector<std::string> & terms) {
    std::string out;
    for (const std::string & t : terms) {
        if (!out.empty()) {
            out += " OR ";
        }
        out += fts_quote(t);
    }
    return out;
}

}  // namespace tiergate::rag
