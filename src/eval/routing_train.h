#pragma once
// Training a learned router from routing data: per-model costs from the data
// (mean per-call cost) or from overrides, labels from the train split, the
// file of each prompt as its group (see training_config::group_label_weight).

#include "core/error.h"
#include "eval/routing_data.h"
#include "eval/routing_split.h"
#include "router/router_model.h"
#include "router/router_training.h"

#include <span>
#include <string>
#include <vector>

namespace tiergate::eval {

struct cost_override {
    std::string model;
    double usd_per_call = 0;
};

// "MODEL=USD_PER_CALL" (the last '=' separates, so model names may hold '=').
result<cost_override> parse_cost_override(std::string_view text);
result<std::vector<cost_override>> parse_cost_overrides(std::span<const std::string> texts);

struct train_summary {
    size_t samples = 0;
    std::vector<std::string> models;
    std::vector<double> costs;
    std::vector<std::string> cost_sources;  // "data" or "option"
};

// Costs for every dataset model: the mean of the per-call costs in the data
// where present, otherwise the override. An error names a model with neither.
result<std::vector<double>> resolve_costs(const routing_dataset & data, std::span<const cost_override> overrides,
                                          std::vector<std::string> * sources = nullptr);

result<router::router_model> train_on_data(const routing_dataset & data, data_split split,
                                           std::span<const cost_override> overrides,
                                           const router::training_config & config, train_summary * summary = nullptr,
                                           uint64_t split_seed = 0);

}  // namespace tiergate::eval
