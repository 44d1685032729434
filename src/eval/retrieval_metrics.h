#pragma once
// Ranked-retrieval measures over graded judgements (TREC qrels):
//  - nDCG@k with gain 2^g - 1 and a log2(rank + 1) discount, normalized by
//    the ideal ordering of the query's judged documents;
//  - Recall@k: relevant documents (gain > 0) in the top k / all relevant;
//  - MRR@k: 1 / rank of the first relevant document in the top k, else 0.

#include <map>
#include <string>
#include <vector>

namespace tiergate::eval {

using judgements = std::map<std::string, int>;  // document id -> gain

double ndcg_at(const std::vector<std::string> & ranked, const judgements & gains, size_t k);
double recall_at(const std::vector<std::string> & ranked, const judgements & gains, size_t k);
double mrr_at(const std::vector<std::string> & ranked, const judgements & gains, size_t k);

}  // namespace tiergate::eval
