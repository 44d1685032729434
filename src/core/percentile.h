#pragma once
#include <vector>

namespace tiergate {

// p in [0, 100]; nearest-rank on a sorted copy; 0 for no values.
double percentile(std::vector<double> values, double p);

}  // namespace tiergate
