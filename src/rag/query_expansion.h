#pragma once
// Pseudo-relevance feedback (RM3): the chunks a first full-text pass ranks
// best are taken as relevant, and the terms that weigh most in them (each
// chunk's term frequencies weighted by its score; a term must appear in two
// of them) join the query for a second pass, the query's own words keeping a share of the total weight.
// It finds the documents that answer a question in other words than the
// question's (docs/retrieval.md has the figures on Cranfield).

#include "core/error.h"
#include "rag/store.h"

#include <string>
#include <vector>

namespace tiergate::rag {

// Defaults tuned on the Cranfield development queries (docs/retrieval.md).
struct feedback_settings {
    size_t documents = 8;       // chunks of the first pass taken as relevant; 0: no expansion
    size_t terms = 40;          // expansion terms kept
    double query_weight = 0.4;  // the query's own words' share of the weight (RM3's lambda)
    // Expansion costs a second pass over more terms: searches over more
    // chunks than this (all collections searched together) go without it.
    int64_t max_chunks = 20000;
};

// The query's words (weight 1 each) and, with feedback on, the expansion
// terms, weighted as one expanded query; the words alone when the first pass
// finds nothing.
result<std::vector<weighted_term>> expand_query(const store & s, const std::vector<std::string> & collections,
                                                const std::vector<std::string> & words, const bm25_weights & weights,
                                                const feedback_settings & feedback);

}  // namespace tiergate::rag
