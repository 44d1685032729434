#pragma once
// Training of the intent classifier: a multinomial logistic regression
// (softmax over the intents, "oos" among them when given) on the learned
// router's hashed features, fitted with row-wise AdaGrad in a deterministic
// order (seeded shuffles, one thread). The temperature and the out-of-scope
// threshold are left at 1 and 0: they are calibrated on held-out data
// afterwards (eval/intent_calibrate.h).

#include "core/error.h"
#include "router/intent_model.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::router {

// The features the intent classifier is trained on by default: short
// utterances: words, word pairs and character grams (see the .cpp).
feature_config default_intent_features();

struct intent_training_config {
    feature_config features = default_intent_features();
    int epochs = 12;
    double learning_rate = 1.0;
    double l2 = 1e-6;        // per update, on the weights of active features
    // Loss weight of the examples of the "oos" class: out-of-scope utterances
    // are far more varied than one intent's, so they count more.
    double oos_weight = 4.0;
    uint64_t seed = 0x5eed;
};

struct intent_example {
    std::string_view text;
    uint32_t label = 0;  // index into the intent names
};

// intents: the class names ("oos" may be one of them); domains: one per
// intent ("" for none). Every intent needs at least one example.
result<intent_model> train_intents(std::span<const intent_example> examples, std::vector<std::string> intents,
                                   std::vector<std::string> domains, const intent_training_config & config);

}  // namespace tiergate::router
