#pragma once
// The router's decision for one request, in named, timed stages:
//   constraints  the key's scope, the residency the guard requires and the
//                budget state narrow the candidates; a model the client
//                named is served if the constraints allow it
//   rules        the first matching rule sends to a tier or a model
//   learned      the learned router predicts each model's chance of a good
//                answer from the prompt and picks by its rule
//   (default)    router.default_model, else the cheapest allowed model
//   cascade      when the pick is one of the cascade's first models, it
//                answers first (beside the partner), then the `through`
//                models in turn, and the cascade's target last
// plan() allocates little, never throws, and never generates anything.

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "router/answer_scorer.h"
#include "router/learned_router.h"
#include "router/route_request.h"
#include "router/route_settings.h"
#include "router/rule_matcher.h"

namespace tiergate::router {

// The configured models as the router sees them, in config order.
std::vector<route_model> route_models(const config::config & cfg);

class route_planner {
  public:
    // `learned` may be null (no learned stage); `scorer` too (no answer scorer).
    route_planner(route_settings settings, std::vector<route_model> models, std::unique_ptr<learned_router> learned,
                  std::unique_ptr<answer_scorer> scorer = nullptr);

    routing_decision plan(const route_request & request) const;

    const std::vector<route_model> & models() const { return models_; }
    std::optional<size_t> find(std::string_view name) const;
    const route_settings & settings() const { return settings_; }
    // The cascade's answer scorer; null without one.
    const answer_scorer * scorer() const { return scorer_.get(); }
    // The model name that asks for routing ("auto").
    const std::string & router_model_name() const { return settings_.model_name; }

  private:
    bool allowed(const route_request & request, size_t i) const;
    std::optional<size_t> first_of_tier(const route_request & request, config::model_tier tier) const;
    std::optional<size_t> cheapest(const route_request & request, std::optional<config::model_tier> tier) const;
    void run_learned(const route_request & request, routing_decision & d) const;

    route_settings settings_;
    std::vector<route_model> models_;
    std::unique_ptr<learned_router> learned_;
    std::unique_ptr<answer_scorer> scorer_;
    std::vector<std::optional<size_t>> learned_to_model_;  // router file model -> configured model
    rule_matcher rules_;
    std::optional<size_t> default_model_;
    std::vector<size_t> cascade_from_;
    std::optional<size_t> cascade_to_;
    std::optional<size_t> cascade_partner_;
    std::vector<size_t> cascade_through_;
};

}  // namespace tiergate::router
