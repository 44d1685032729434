#pragma once
// `tiergate rag eval`: a retrieval test collection (documents as JSON Lines
// {"id","title","text"}, queries as JSON Lines {"id","text"}, TREC qrels
// "query 0 doc gain") ingested into a private store (in memory, or a
// collection of its own in the store named, deleted afterwards) with the
// built-in embedder, each query searched in each mode, and nDCG@10,
// Recall@100 and MRR@10 reported (means over the queries that have a
// relevant document).
// A document's rank is that of its best chunk.

#include "core/error.h"
#include "eval/retrieval_metrics.h"
#include "rag/retriever.h"

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace tiergate::eval {

struct retrieval_query {
    std::string id;
    std::string text;
};

struct retrieval_eval_options {
    std::string docs, queries, qrels;
    std::string store = ":memory:";  // or a SQLite file or postgresql:// URL
    std::vector<rag::search_mode> modes{rag::search_mode::bm25, rag::search_mode::dense, rag::search_mode::hybrid};
    rag::chunk_settings chunking{256, 32};
    rag::retriever_settings retriever;
    uint32_t dims = 384;
};

struct retrieval_scores {
    size_t queries = 0;
    double ndcg10 = 0, recall100 = 0, mrr10 = 0;
    double p50_ms = 0, p99_ms = 0;  // search latency, query embedding included
};

result<std::vector<retrieval_query>> load_retrieval_queries(const std::string & path);
// query id -> judgements; lines that are blank or start with '#' are skipped.
result<std::map<std::string, judgements>> load_qrels(const std::string & path);

result<std::map<std::string, retrieval_scores>> evaluate_retrieval(const retrieval_eval_options & options,
                                                                   std::ostream & progress);

// The CLI's entry: prints a table, or with `json` one object keyed by mode.
int run_eval_retrieval(const retrieval_eval_options & options, bool json, std::ostream & out, std::ostream & err);

}  // namespace tiergate::eval
