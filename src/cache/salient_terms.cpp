#include "cache/salient_terms.h"

#include <algorithm>
#include <iterator>

namespace tiergate::cache {

namespace {

constexpr std::string_view stop_words[] = {
    "a",     "about", "an",    "and",   "any",   "are",   "as",    "at",    "be",    "been",  "but",   "by",
    "can",   "could", "did",   "do",    "does",  "for",   "from",  "had",   "has",   "have",  "he",    "her",
    "here",  "his",   "how",   "i",     "if",    "in",    "into",  "is",    "it",    "its",   "just",  "kindly",
    "let",   "me",    "might", "must",  "my",    "of",    "on",    "or",    "our",   "please", "shall", "she",
    "should", "so",   "some",  "tell",  "thank", "thanks", "that", "the",   "their", "them",  "then",  "there",
    "these", "they",  "this",  "those", "to",    "us",    "was",   "we",    "were",  "what",  "when",  "where",
    "which", "who",   "whom",  "why",   "will",  "with",  "would", "you",   "your",  "hi",    "hello", "hey",
    "okay",  "ok"};

constexpr std::string_view negation_words[] = {"not", "no", "never", "nor", "none", "cannot", "without"};

bool word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' || c >= 0x80;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

template <size_t N>
bool among(const std::string_view (&words)[N], std::string_view w) {
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

}  // namespace

salient_terms salient_terms_of(std::string_view text) {
    salient_terms out;
    size_t i = 0;
    while (i < text.size()) {
        if (!word_byte(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        std::string w;
        while (i < text.size() && word_byte(static_cast<unsigned char>(text[i]))) {
            const char c = text[i++];
            w += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
        while (!w.empty() && w.front() == '\'') w.erase(w.begin());
        while (!w.empty() && w.back() == '\'') w.pop_back();
        if (w.empty()) {
            continue;
        }
        if (ends_with(w, "n't") || among(negation_words, w)) {
            ++out.negations;
            continue;
        }
        for (std::string_view suffix : {"'s", "'re", "'ll", "'ve", "'d", "'m"}) {
            if (ends_with(w, suffix)) {
                w.resize(w.size() - suffix.size());
                break;
            }
        }
        if (std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            out.numbers.push_back(std::move(w));
        } else if (!among(stop_words, w)) {
            out.content.push_back(std::move(w));
        }
    }
    std::sort(out.numbers.begin(), out.numbers.end());
    std::sort(out.content.begin(), out.content.end());
    out.content.erase(std::unique(out.content.begin(), out.content.end()), out.content.end());
    return out;
}

bool same_question(const salient_terms & stored, const salient_terms & asked, size_t max_added) {
    if (stored.negations != asked.negations || stored.numbers != asked.numbers) {
        return false;
    }
    // both sorted and unique: one walk finds a missing stored word or counts the added ones
    size_t added = 0;
    auto a = asked.content.begin();
    for (const auto & w : stored.content) {
        while (a != asked.content.end() && *a < w) {
            ++a;
            ++added;
        }
        if (a == asked.content.end() || *a != w) {
            return false;
        }
        ++a;
    }
    added += static_cast<size_t>(asked.content.end() - a);
    return added <= max_added;
}

}  // namespace tiergate::cache
