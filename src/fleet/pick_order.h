#pragma once
// The order in which a call tries a pool's usable deployments, by the pool's
// strategy. Pure: the caller gives each deployment's figures of the moment.

#include <cstdint>
#include <random>
#include <vector>

#include "fleet/pool_settings.h"

namespace tiergate::fleet {

struct candidate {
    size_t index = 0;           // the deployment's place in its pool
    double weight = 1.0;
    int64_t in_flight = 0;      // calls running on it now
    int64_t queued_tokens = 0;  // prompt tokens of those calls
    double latency_ms = -1.0;   // the average it is ranked by; < 0: none measured yet
    double headroom = 1.0;      // 0..1: the smaller share left of its RPM and TPM (1 without limits)
};

// The candidates' indexes, first to try first:
//   weighted    a weighted random order (a deployment with twice the weight is
//               first twice as often; weight 0 only after every other one);
//   least_busy  fewest calls in flight, then fewest queued tokens, ties at random;
//   latency     one not measured yet first; else, with probability
//               `exploration`, a random order; else the lowest average first;
//   usage       the most headroom under its limits first, ties at random.
std::vector<size_t> order_candidates(balance_strategy strategy, std::vector<candidate> candidates, double exploration,
                                     std::mt19937_64 & rng);

}  // namespace tiergate::fleet
