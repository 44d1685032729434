#pragma once
// Training the answer scorer from stored answers: a logistic regression
// fitted with AdaGrad in a deterministic order. Each answer is seen with no
// other answer, with one and with two others drawn from the same prompt's
// answers, so the scorer knows the answer alone and beside the agreement
// signal a cascade has once it called two models.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "router/answer_scorer.h"

namespace tiergate::router {

struct scorer_training_config {
    scorer_feature_config features;
    int epochs = 4;
    double learning_rate = 0.05;
    double l2 = 1e-6;  // per update, on the weights of active features
    uint64_t seed = 0x5c0e;
    int others_draws = 2;  // besides the answer alone: with 1..others_draws other answers
};

// The answers to one prompt, each with its 0..1 label (NaN = unknown: not trained on).
struct scorer_training_prompt {
    std::string_view prompt;
    std::vector<scored_answer> answers;
    std::vector<float> labels;
};

struct scorer_training_summary {
    size_t prompts = 0;
    size_t examples = 0;  // per epoch
    double final_log_loss = 0;
};

result<scorer_model> train_scorer(std::span<const scorer_training_prompt> data, const scorer_training_config & config,
                                  scorer_training_summary * summary = nullptr);

}  // namespace tiergate::router
