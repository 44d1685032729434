#include "fleet/pick_order.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tiergate::fleet {

namespace {

std::vector<size_t> indexes(const std::vector<candidate> & c) {
    std::vector<size_t> out;
    out.reserve(c.size());
    for (const auto & x : c) {
        out.push_back(x.index);
    }
    return out;
}

// Efraimidis-Spirakis: each key is log(u) / w; sorting by key, largest first,
// draws without replacement with probability proportional to weight.
void weighted_order(std::vector<candidate> & c, std::mt19937_64 & rng) {
    std::uniform_real_distribution<double> unit(std::numeric_limits<double>::min(), 1.0);
    std::vector<std::pair<double, size_t>> keyed;
    keyed.reserve(c.size());
    for (size_t i = 0; i < c.size(); ++i) {
        const double u = unit(rng);
        const double key = c[i].weight > 0 ? std::log(u) / c[i].weight
                                           : -std::numeric_limits<double>::infinity();
        keyed.emplace_back(key, i);
    }
    // weight 0 keys are all -inf: they keep a random order among themselves
    std::shuffle(keyed.begin(), keyed.end(), rng);
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto & a, const auto & b) { return a.first > b.first; });
    std::vector<candidate> sorted;
    sorted.reserve(c.size());
    for (const auto & k : keyed) {
        sorted.push_back(c[k.second]);
    }
    c = std::move(sorted);
}

}  // namespace

std::vector<size_t> order_candidates(balance_strategy strategy, std::vector<candidate> c, double exploration,
                                     std::mt19937_64 & rng) {
    if (c.size() <= 1) {
        return indexes(c);
    }
    switch (strategy) {
        case balance_strategy::weighted:
            weighted_order(c, rng);
            break;
        case balance_strategy::least_busy:
            std::shuffle(c.begin(), c.end(), rng);
            std::stable_sort(c.begin(), c.end(), [](const candidate & a, const candidate & b) {
                if (a.in_flight != b.in_flight) {
                    return a.in_flight < b.in_flight;
                }
                return a.queued_tokens < b.queued_tokens;
            });
            break;
        case balance_strategy::latency: {
            std::shuffle(c.begin(), c.end(), rng);
            std::uniform_real_distribution<double> unit(0.0, 1.0);
            const bool explore = exploration > 0 && unit(rng) < exploration;
            if (!explore) {
                // unmeasured first (each gets measured), then the fastest
                std::stable_sort(c.begin(), c.end(), [](const candidate & a, const candidate & b) {
                    const bool ua = a.latency_ms < 0, ub = b.latency_ms < 0;
                    if (ua != ub) {
                        return ua;
                    }
                    return a.latency_ms < b.latency_ms;
                });
            }
            break;
        }
        case balance_strategy::usage:
            std::shuffle(c.begin(), c.end(), rng);
            std::stable_sort(c.begin(), c.end(),
                             [](const candidate & a, const candidate & b) { return a.headroom > b.headroom; });
            break;
    }
    return indexes(c);
}

}  // namespace tiergate::fleet
