#pragma once
// Training of the learned router: one L2-regularized logistic regression per
// model over shared hashed features, fitted with AdaGrad in a deterministic
// order. Labels are the 0..1 quality of each model's answer; NaN = unknown.
// Labels can be pulled toward the mean of their group (source) first.

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
    // A shared weight column for all models plus per-model deviations
    // learned at deviation_rate times the learning rate; merged into one
    // weight set after training, so prediction costs the same.
    bool shared_weights = false;
    double deviation_rate = 0.5;
    // When the examples come from more than one group (e.g. source file:
    // one task or subject each), each label is pulled toward its group's
    // mean: target = w * label + (1 - w) * group mean, the group mean
    // smoothed toward the overall mean with group_prior pseudo-examples.
    // Less noise in the targets; 1 turns it off.
    double group_label_weight = 0.6;
    double group_prior = 10.0;
    pick_rule rule = pick_rule::tradeoff;
};

struct training_example {
    std::string_view prompt;
    std::span<const float> labels;  // one per model; NaN = unknown
    uint32_t group = 0;             // where the example comes from (e.g. its file)
};

result<router_model> train_router(std::span<const training_example> examples, std::vector<std::string> models,
                                  std::vector<double> costs, const training_config & config);

}  // namespace tiergate::router
