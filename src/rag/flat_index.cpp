#include "rag/flat_index.h"

#include "rag/inner_product.h"

#include <algorithm>
#include <cmath>
#include <queue>

namespace tiergate::rag {

flat_index::flat_index(uint32_t dims) : dims_(dims) {}

void flat_index::add(int64_t id, std::span<const float> v) {
    ids_.push_back(id);
    values_.insert(values_.end(), v.begin(), v.begin() + std::min<size_t>(v.size(), dims_));
    values_.resize(ids_.size() * dims_, 0.0f);
}

std::vector<scored_chunk> flat_index::search(std::span<const float> query, size_t k) const {
    std::vector<scored_chunk> out;
    if (query.size() != dims_ || k == 0) {
        return out;
    }
    const inner_product kernel(dims_);
    // A min-heap of the k best so far (smallest distance = best).
    auto worse = [](const std::pair<float, size_t> & a, const std::pair<float, size_t> & b) { return a.first < b.first; };
    std::priority_queue<std::pair<float, size_t>, std::vector<std::pair<float, size_t>>, decltype(worse)> best(worse);
    for (size_t i = 0; i < ids_.size(); ++i) {
        const float d = kernel.distance(query.data(), values_.data() + i * dims_);
        if (best.size() < k) {
            best.emplace(d, i);
        } else if (d < best.top().first) {
            best.pop();
            best.emplace(d, i);
        }
    }
    out.resize(best.size());
    for (size_t j = out.size(); j-- > 0;) {
        out[j] = {ids_[best.top().second], 1.0 - best.top().first};
        best.pop();
    }
    return out;
}

void normalize(std::span<float> v) {
    double sum = 0;
    for (float x : v) {
        sum += static_cast<double>(x) * x;
    }
    if (sum <= 0) {
        return;
    }
    const auto scale = static_cast<float>(1.0 / std::sqrt(sum));
    for (float & x : v) {
        x *= scale;
    }
}

}  // namespace tiergate::rag
