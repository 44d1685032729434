#pragma once
// A user's query as an FTS5 MATCH expression: the query's words (as FTS5's
// unicode61 tokenizer splits them, lower-cased), English stop words dropped,
// each distinct word quoted (so no query text is read as FTS5 syntax) and the
// words joined by OR, for BM25 to rank. Bounded: at most `max_terms` words.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::rag {

// The words of a text, lower-cased, stop words dropped, in order, repeats kept.
std::vector<std::string> words(std::string_view text, size_t max_words = SIZE_MAX);

std::vector<std::string> query_terms(std::string_view query, size_t max_terms = 64);

// A term as an FTS5 string: quoted, inner quotes doubled, never read as syntax.
std::string fts_quote(std::string_view term);

// The MATCH expression for the terms; empty when there are none.
std::string fts_match_expression(const std::vector<std::string> & terms);

bool is_stop_word(std::string_view word);
// The stop list, sorted.
std::vector<std::string_view> stop_word_list();

}  // namespace tiergate::rag
