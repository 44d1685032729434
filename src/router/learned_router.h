#pragma once
// Prediction with a trained router: per-model probability of a good answer
// from the prompt text, and the pick. predict() and route() allocate nothing.

#include "router/hashed_features.h"
#include "router/router_model.h"

#include <span>
#include <string_view>

namespace tiergate::router {

struct route_decision {
    size_t model = 0;  // index into router_model::models
};

class learned_router {
  public:
    // model.check() must be empty.
    explicit learned_router(router_model model);

    const router_model & model() const { return model_; }
    size_t model_count() const { return model_.models.size(); }

    // Writes the predicted probability of a good answer for each model into
    // quality (size model_count()).
    void predict(std::string_view prompt, std::span<float> quality) const;

    // The pick for predicted qualities under the router's rule and parameter.
    size_t pick(std::span<const float> quality) const { return pick(quality, model_.rule, model_.parameter()); }
    size_t pick(std::span<const float> quality, pick_rule rule, double parameter) const;

    // predict + pick; scratch has model_count() entries and receives the qualities.
    route_decision route(std::string_view prompt, std::span<float> scratch) const;

  private:
    router_model model_;
    feature_extractor extractor_;
    std::vector<size_t> by_cost_;          // model indices, cheapest first
    std::vector<double> normalized_cost_;  // cost / max cost
};

}  // namespace tiergate::router
