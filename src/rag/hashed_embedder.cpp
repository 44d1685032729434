#include "rag/hashed_embedder.h"

#include "rag/chunker.h"
#include "rag/flat_index.h"
#include "rag/fts_query.h"
#include "router/hashed_features.h"

#include <cmath>
#include <unordered_map>

namespace tiergate::rag {

hashed_embedder::hashed_embedder(uint32_t dims) : dims_(dims), model_("tiergate-lexical-" + std::to_string(dims)) {}

size_t hashed_embedder::count_tokens(std::string_view text) const { return estimate_token_count(text); }

std::vector<float> hashed_embedder::embed_one(std::string_view text) const {
    // feature hash -> (term frequency, weight of the feature kind)
    std::unordered_map<uint64_t, std::pair<float, float>> counts;
    for (const std::string & word : words(text)) {
        auto & w = counts[router::hash_bytes(word, 0x9e3779b97f4a7c15ULL)];
        w = {w.first + 1.0f, 1.0f};
        const std::string framed = "<" + word + ">";
        for (size_t i = 0; framed.size() > 5 && i + 4 <= framed.size(); ++i) {
            auto & g = counts[router::hash_bytes(std::string_view(framed).substr(i, 4), 0x51ed270b27c1d3f5ULL)];
            g = {g.first + 1.0f, 0.25f};
        }
    }
    std::vector<float> v(dims_, 0.0f);
    for (const auto & [h, tf] : counts) {
        const float value = tf.second * (1.0f + std::log(tf.first));
        const uint64_t mixed = router::mix_hash(h);
        v[mixed % dims_] += (mixed >> 63) ? value : -value;
    }
    normalize(v);
    return v;
}

result<std::vector<std::vector<float>>> hashed_embedder::embed(const std::vector<std::string> & texts,
                                                              const knowledge_caller &) {
    std::vector<std::vector<float>> out;
    out.reserve(texts.size());
    for (const std::string & t : texts) {
        out.push_back(embed_one(t));
    }
    return out;
}

}  // namespace tiergate::rag
