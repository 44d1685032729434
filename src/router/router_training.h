#pragma once
// Training of the learned router: one L2-regularized logistic regression per
// model over shared hashed features, fitted with AdaGrad in a deterministic
// order. Labels are the 0..1 quality of each model's answer; NaN = unknown.

#include "core/error.h"
#include "router/router_model.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::router {

struct training_config {
    feature_config features;
    int epochs = 6;
    double learning_rate = 0.01;
    double l2 = 1e-5;  // per update, on the weights of active features
    uint64_t seed = 0x5eed;
    int ensemble = 3;  // fits averaged into one weight set
    pick_rule rule = pick_rule::tradeoff;
};

struct training_example {
    std::string_view prompt;
    std::span<const float> labels;  // one per model; NaN = unknown
};

result<router_model> train_router(std::span<const training_example> examples, std::vector<std::string> models,
                                  std::vector<double> costs, const training_config & config);

}  // namespace tiergate::router
