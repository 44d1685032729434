#pragma once
// Training the answer scorer from routing data with stored answers
// (RouterBench's `<model>|model_response` columns, each model's 0..1 score
// as the label): the prompts of one split, every model that has answers.

#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "eval/routing_data.h"
#include "eval/routing_split.h"
#include "eval/routing_train.h"
#include "router/scorer_training.h"

namespace tiergate::eval {

// The dataset models with at least one stored answer, in dataset order.
std::vector<size_t> answered_models(const routing_dataset & data);

struct scorer_data_options {
    data_split split = data_split::train;
    uint64_t split_seed = 0;
    router::scorer_training_config training;
};

// The scorer's models and costs are the answered models and their mean cost per call.
result<router::scorer_model> train_scorer_on_data(const routing_dataset & data, std::span<const cost_override> overrides,
                                                  const scorer_data_options & options,
                                                  router::scorer_training_summary * summary = nullptr);

}  // namespace tiergate::eval
