#include "rag/fusion.h"

#include <algorithm>
#include <unordered_map>

namespace tiergate::rag {

std::vector<scored_chunk> reciprocal_rank_fusion(const std::vector<ranked_list> & lists, double k) {
    std::unordered_map<int64_t, double> scores;
    for (const ranked_list & list : lists) {
        if (!list.items) {
            continue;
        }
        for (size_t rank = 0; rank < list.items->size(); ++rank) {
            scores[(*list.items)[rank].id] += list.weight / (k + static_cast<double>(rank + 1));
        }
    }
    std::vector<scored_chunk> out;
    out.reserve(scores.size());
    for (const auto & [id, score] : scores) {
        out.push_back({id, score});
    }
    std::sort(out.begin(), out.end(), [](const scored_chunk & a, const scored_chunk & b) {
        return a.score != b.score ? a.score > b.score : a.id < b.id;
    });
    return out;
}

}  // namespace tiergate::rag
