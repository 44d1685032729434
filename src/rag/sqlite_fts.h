#pragma once
// The SQLite store's full-text index: one FTS5 table per collection
// (`chunks_fts_<n>`, `porter unicode61`) whose external content is a view of
// that collection's chunks, so that a search reads no other collection's
// rows, its statistics (IDF, average length) are the collection's own, and
// FTS5's integrity check covers one collection; beside it an fts5vocab table
// for term statistics.
//
// Search ranks by BM25 (tiergate_bm25, each term's IDF passed in from the
// vocabulary table, so that no doclist is walked just to count it). Terms
// that only score (weighted_term::candidate false, and in a collection of
// 20,000 chunks or more the candidate terms found in more than 5% of its
// chunks, "frequent") add to the score of every chunk that holds one of the
// other terms, but do not make a chunk a candidate: FTS5 then seeks through
// their doclists instead of reading them whole. When fewer than `enough`
// chunks hold a rarer term, the search runs again with the frequent terms
// as candidates. Smaller collections are always searched over every term.
// Document frequencies are cached per collection (counted again once the
// collection has changed and 10 s have passed). The caller holds the
// store's lock.

#include "core/error.h"
#include "rag/fts_tokens.h"
#include "rag/store.h"

#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

struct sqlite3;

namespace tiergate::rag {

// How a search went, for tests and benchmarks.
struct fts_search_stats {
    size_t searches = 0;
    size_t split = 0;      // answered with the frequent terms apart
    size_t fallbacks = 0;  // run again over every term: too few chunks held a rarer one
};

class sqlite_fts {
  public:
    sqlite_fts(sqlite3 * db, const fts_tokens & tokens) : db_(db), tokens_(tokens) {}

    // Creates collection number `n`'s view, FTS5 table and vocabulary table,
    // indexing the chunks it already has.
    result<bool> create(int64_t n, const std::string & collection);
    result<bool> drop(int64_t n);
    // Takes a document's chunks out of the index (before they are deleted),
    // or puts them in (after they are inserted).
    result<bool> remove_document(int64_t n, const std::string & collection, const std::string & doc_id);
    result<bool> add_document(int64_t n, const std::string & collection, const std::string & doc_id);
    // FTS5's integrity check of collection `n`'s index against its chunks.
    bool consistent(int64_t n) const;

    // The best `limit` chunks of collection `n` (at `version`, of `chunks`
    // chunks) for the terms, best first; with frequent terms apart, at least
    // `enough` of them (0: `limit`).
    result<std::vector<scored_chunk>> search(int64_t n, int64_t version, int64_t chunks,
                                             const std::vector<weighted_term> & terms, size_t limit,
                                             const bm25_weights & weights, size_t enough = 0);

    const fts_search_stats & stats() const { return stats_; }

  private:
    struct term_plan {
        std::string text;   // as written
        double weight = 0;
        bool candidate = true;
        double idf = -1;    // -1: a phrase of several tokens, counted by the function
        int64_t df = -1;
    };
    // Document frequencies of collection `n`'s stemmed terms, as counted at `version`.
    struct term_stats {
        int64_t version = -1;
        std::chrono::steady_clock::time_point counted_at;
        std::unordered_map<std::string, int64_t> df;
    };

    result<int64_t> document_frequency(int64_t n, int64_t version, const std::string & stem);
    result<std::vector<scored_chunk>> run(int64_t n, const std::string & match, const std::vector<double> & weights,
                                          const std::vector<double> & idfs, size_t limit, const bm25_weights & bm25);

    sqlite3 * db_;
    const fts_tokens & tokens_;
    std::map<int64_t, term_stats> stats_by_collection_;
    std::list<int64_t> recent_;  // collections by last use, for the cache's bound
    fts_search_stats stats_;
};

}  // namespace tiergate::rag
