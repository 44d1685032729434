#pragma once
// `tiergate_bm25(fts, k1, b, title_weight, text_weight[, weights[, idfs]])`:
// BM25 as an FTS5 auxiliary function, like FTS5's own bm25() (column weights
// on the term frequency, one document length over all columns, idf floored
// just above 0) but with k1 and b as arguments, so they can be tuned per
// store; optionally a weight per phrase of the MATCH expression (a string of
// numbers in the phrases' order; 1 for each phrase not given), for expanded
// queries, and each phrase's idf when the caller knows it (a negative one, or
// none, is counted here, which walks the phrase's whole doclist). Returns the
// negated score (lower is better), as bm25() does.

struct sqlite3;

namespace tiergate::rag {

// Registers the function on a connection; false when FTS5 is not available.
bool register_fts_rank(sqlite3 * db);

}  // namespace tiergate::rag
