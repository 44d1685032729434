#include "router/learned_router.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tiergate::router {

learned_router::learned_router(router_model model) : model_(std::move(model)), extractor_(model_.features) {
    const size_t k = model_.models.size();
    by_cost_.resize(k);
    std::iota(by_cost_.begin(), by_cost_.end(), size_t{0});
    std::stable_sort(by_cost_.begin(), by_cost_.end(),
                     [&](size_t a, size_t b) { return model_.costs[a] < model_.costs[b]; });
    double max_cost = 0;
    for (double c : model_.costs) {
        max_cost = std::max(max_cost, c);
    }
    normalized_cost_.resize(k);
    for (size_t m = 0; m < k; ++m) {
        normalized_cost_[m] = max_cost > 0 ? model_.costs[m] / max_cost : 0.0;
    }
}

void learned_router::predict(std::string_view prompt, std::span<float> quality) const {
    const size_t k = model_.models.size();
    std::fill(quality.begin(), quality.begin() + static_cast<std::ptrdiff_t>(k), 0.0f);
    const float * weights = model_.weights.data();
    const size_t count = extractor_.for_each_hashed(prompt, [&](uint32_t bucket) {
        const float * row = weights + size_t{bucket} * k;
        for (size_t m = 0; m < k; ++m) {
            quality[m] += row[m];
        }
    });
    const float scale = count > 0 ? static_cast<float>(1.0 / std::sqrt(static_cast<double>(count))) : 0.0f;
    const dense_features dense = extractor_.dense(prompt);
    const float * dense_rows = weights + size_t{extractor_.bucket_count()} * k;
    const size_t dense_count = extractor_.dense_count();
    for (size_t m = 0; m < k; ++m) {
        float z = model_.bias[m] + quality[m] * scale;
        for (size_t j = 0; j < dense_count; ++j) {
            z += dense[j] * dense_rows[j * k + m];
        }
        quality[m] = 1.0f / (1.0f + std::exp(-z));
    }
}

size_t learned_router::pick(std::span<const float> quality, pick_rule rule, double parameter) const {
    const size_t k = model_.models.size();
    if (rule == pick_rule::threshold) {
        for (size_t m : by_cost_) {
            if (quality[m] >= parameter) {
                return m;
            }
        }
        size_t best = by_cost_.front();
        for (size_t m : by_cost_) {
            if (quality[m] > quality[best]) {
                best = m;
            }
        }
        return best;
    }
    size_t best = by_cost_.front();
    double best_value = quality[best] - parameter * normalized_cost_[best];
    for (size_t i = 1; i < k; ++i) {
        const size_t m = by_cost_[i];
        const double value = quality[m] - parameter * normalized_cost_[m];
        if (value > best_value) {
            best_value = value;
            best = m;
        }
    }
    return best;
}

route_decision learned_router::route(std::string_view prompt, std::span<float> scratch) const {
    predict(prompt, scratch);
    return route_decision{pick(scratch)};
}

}  // namespace tiergate::router
