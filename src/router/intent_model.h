#pragma once
// The trained intent classifier as data: what an intent file stores. A
// multinomial logistic regression over the learned router's hashed features
// (one weight column per intent, "oos" among them when the model was trained
// with out-of-scope examples), a softmax temperature and the out-of-scope
// threshold, both calibrated on held-out data.

#include "router/hashed_features.h"

#include <cstddef>
#include <string>
#include <vector>

namespace tiergate::router {

// The label of out-of-scope utterances, in data and in decisions.
inline constexpr const char * oos_intent = "oos";
// Limits a file is checked against (more would be a hostile file, not a model).
inline constexpr size_t max_intent_count = 4096;
inline constexpr size_t max_intent_name_bytes = 256;
inline constexpr float max_intent_weight = 1e6f;  // |weight| and |bias|

struct intent_model {
    feature_config features;
    std::vector<std::string> intents;  // class names; at most one is "oos"
    std::vector<std::string> domains;  // one per intent; "" for none (and for "oos")
    // (feature dimension) x (intent count), row-major: one feature's weights
    // for every intent are adjacent, so one lookup serves every intent.
    std::vector<float> weights;
    std::vector<float> bias;  // one per intent
    // Softmax temperature: probabilities are softmax(logits / temperature).
    double temperature = 1.0;
    // An utterance is out of scope when "oos" wins, or when the calibrated
    // probability of the best in-scope intent is below this.
    double oos_threshold = 0.0;
    std::string trained_on;  // free text: data and calibration summary

    size_t intent_count() const { return intents.size(); }
    // Index of the "oos" class, or intent_count() when there is none.
    size_t oos_index() const;
    // Empty on success, otherwise what is inconsistent.
    std::string check() const;
};

}  // namespace tiergate::router
