#pragma once
// The trained learned router as data: what a router file stores.

#include "core/error.h"
#include "router/hashed_features.h"

#include <string>
#include <string_view>
#include <vector>

namespace tiergate::router {

// How a model is picked from predicted qualities:
// threshold: the cheapest model whose predicted quality is >= threshold
//            (the model with the highest prediction when none clears it);
// tradeoff:  the model maximizing quality - lambda * cost / max_cost.
enum class pick_rule { threshold, tradeoff };

const char * to_string(pick_rule rule);
result<pick_rule> parse_pick_rule(std::string_view text);

struct router_model {
    feature_config features;
    std::vector<std::string> models;
    std::vector<double> costs;  // USD per call, one per model
    // (feature dimension) x (model count), row-major: the weights of one
    // feature for all models are adjacent, so one lookup serves every model.
    std::vector<float> weights;
    std::vector<float> bias;  // one per model
    pick_rule rule = pick_rule::tradeoff;
    double threshold = 0.5;  // for pick_rule::threshold
    double lambda = 0.5;     // for pick_rule::tradeoff
    std::string trained_on;  // free text: data summary

    size_t model_count() const { return models.size(); }
    // The value of the active rule's parameter.
    double parameter() const { return rule == pick_rule::threshold ? threshold : lambda; }
    void set_parameter(double value);
    // Empty on success, otherwise what is inconsistent.
    std::string check() const;
};

}  // namespace tiergate::router
