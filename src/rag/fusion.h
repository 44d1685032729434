#pragma once
// Reciprocal rank fusion (Cormack et al., 2009): each ranked list adds
// weight / (k + rank) to an item's score, ranks counted from 1. Robust to the
// lists' score scales differing (BM25 against cosine), which is why hybrid
// search fuses ranks rather than scores.

#include "rag/store.h"

#include <vector>

namespace tiergate::rag {

struct ranked_list {
    const std::vector<scored_chunk> * items = nullptr;  // best first
    double weight = 1.0;
};

// The fused list, best first, ties broken by the smaller id.
std::vector<scored_chunk> reciprocal_rank_fusion(const std::vector<ranked_list> & lists, double k = 60.0);

}  // namespace tiergate::rag
