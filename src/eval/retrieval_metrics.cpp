#include "eval/retrieval_metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace tiergate::eval {

namespace {

int gain_of(const judgements & gains, const std::string & doc) {
    auto it = gains.find(doc);
    return it == gains.end() ? 0 : it->second;
}

double dcg(const std::vector<int> & g, size_t k) {
    double sum = 0;
    for (size_t i = 0; i < std::min(k, g.size()); ++i) {
        sum += (std::pow(2.0, g[i]) - 1.0) / std::log2(static_cast<double>(i) + 2.0);
    }
    return sum;
}

}  // namespace

double ndcg_at(const std::vector<std::string> & ranked, const judgements & gains, size_t k) {
    std::vector<int> got, ideal;
    for (size_t i = 0; i < std::min(k, ranked.size()); ++i) {
        got.push_back(gain_of(gains, ranked[i]));
    }
    for (const auto & [doc, g] : gains) {
        if (g > 0) {
            ideal.push_back(g);
        }
    }
    std::sort(ideal.begin(), ideal.end(), std::greater<>());
    const double best = dcg(ideal, k);
    return best > 0 ? dcg(got, k) / best : 0.0;
}

double recall_at(const std::vector<std::string> & ranked, const judgements & gains, size_t k) {
    size_t relevant = 0, found = 0;
    for (const auto & [doc, g] : gains) {
        relevant += g > 0;
    }
    for (size_t i = 0; i < std::min(k, ranked.size()); ++i) {
        found += gain_of(gains, ranked[i]) > 0;
    }
    return relevant ? static_cast<double>(found) / static_cast<double>(relevant) : 0.0;
}

double mrr_at(const std::vector<std::string> & ranked, const judgements & gains, size_t k) {
    for (size_t i = 0; i < std::min(k, ranked.size()); ++i) {
        if (gain_of(gains, ranked[i]) > 0) {
            return 1.0 / static_cast<double>(i + 1);
        }
    }
    return 0.0;
}

}  // namespace tiergate::eval
