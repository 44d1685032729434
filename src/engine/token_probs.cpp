#include "engine/token_probs.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tiergate::engine {

token_logprobs compute_logprobs(const float * logits, int32_t n_vocab, int32_t chosen, int32_t k) {
    token_logprobs out;
    if (n_vocab <= 0) {
        return out;
    }
    float max_logit = -std::numeric_limits<float>::infinity();
    for (int32_t i = 0; i < n_vocab; ++i) {
        max_logit = std::max(max_logit, logits[i]);
    }
    double sum = 0.0;
    for (int32_t i = 0; i < n_vocab; ++i) {
        sum += std::exp(static_cast<double>(logits[i] - max_logit));
    }
    const float log_z = max_logit + static_cast<float>(std::log(sum));
    if (chosen >= 0 && chosen < n_vocab) {
        out.chosen = logits[chosen] - log_z;
    }
    k = std::min(k, n_vocab);
    if (k > 0) {
        // k is small (<= 20): keep a sorted buffer instead of sorting the vocabulary
        std::vector<std::pair<int32_t, float>> best;
        best.reserve(k + 1);
        for (int32_t i = 0; i < n_vocab; ++i) {
            const float v = logits[i];
            if (static_cast<int32_t>(best.size()) == k && v <= best.back().second) {
                continue;
            }
            auto it = std::upper_bound(best.begin(), best.end(), v,
                                       [](float value, const auto & e) { return value > e.second; });
            best.insert(it, {i, v});
            if (static_cast<int32_t>(best.size()) > k) {
                best.pop_back();
            }
        }
        for (auto & [token, value] : best) {
            value -= log_z;
        }
        out.top = std::move(best);
    }
    return out;
}

}  // namespace tiergate::engine
