#pragma once
// Offline replay of an answer-scorer cascade on stored answers: no model is
// called. A cascade is a chain of stages, cheapest first (a stage is one
// model, or two started together for the agreement signal); each stage's
// best scored answer is accepted when its score reaches the stage's
// threshold, otherwise the next stage runs with every answer so far beside
// it; the last stage's answer is always accepted. Every call a cascade makes
// is counted in its cost.
//
// The sweep enumerates chains of up to max_stages stages (increasing cost)
// and a grid of thresholds per stage, and keeps the cost-quality frontier.
// With a tuning split, the frontier's settings are chosen there and only
// evaluated on the reported split, and the settings for the headline
// targets (GPT-4's quality; the best quality at 30% of its cost) are picked
// on the tuning split too.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "eval/routing_data.h"
#include "eval/routing_eval.h"
#include "router/answer_scorer.h"
#include "router/learned_router.h"

namespace tiergate::eval {

struct cascade_config {
    std::vector<std::vector<size_t>> stages;  // indices into the replay's models
    std::vector<double> thresholds;           // one per stage but the last
    // The first stage also starts the prompt-only router's pick for the
    // prompt at setting `route` (when it is not in the stage already).
    bool routed = false;
    double route = 0;
};

// "mistral-7b-chat+mixtral-8x7b-chat@0.71 > gpt-4-1106-preview"
std::string describe_config(const cascade_config & config, std::span<const std::string> models);

struct cascade_point {
    curve_point point;
    double calls = 0;       // mean model calls per prompt
    double sequential = 0;  // mean stages waited for per prompt: the added latency, in calls
    cascade_config config;
};

struct cascade_options {
    size_t max_stages = 3;
    // The first stage may start this many models together (1: never).
    size_t parallel_start = 3;
    size_t grid = 12;  // thresholds per stage: quantiles of the stage's scores
    // With a router: chains whose first stage is the router's pick (alone or
    // beside one other model), over this many router settings.
    size_t route_grid = 12;
};

// The prompts of one split with a quality and an answer for every model of
// the scorer that the data has, each answer's own logit computed once.
class cascade_replay {
  public:
    // With a router, chains may start with its pick; its models must be among the scorer's.
    static result<cascade_replay> prepare(const router::answer_scorer & scorer, const routing_dataset & data,
                                          const router::learned_router * router = nullptr);

    size_t size() const { return n_; }
    size_t skipped() const { return skipped_; }
    const std::vector<std::string> & models() const { return models_; }
    const std::vector<double> & mean_costs() const { return mean_costs_; }
    size_t strong() const { return strong_; }

    cascade_point evaluate(const cascade_config & config) const;
    // The frontier of every chain and threshold grid, cheapest first; swept
    // receives how many settings were evaluated.
    std::vector<cascade_point> frontier(const cascade_options & options, size_t * swept = nullptr) const;
    // Single models and the oracle, with no curve.
    routing_report baseline() const;
    // How well the scorer ranks each model's answers on their own (no other
    // answer beside them): the area under the ROC curve of the score against
    // the answer being right (quality >= 0.5), per model and over all answers.
    struct ranking {
        std::vector<double> per_model;
        double all = 0;
        double with_one_other = 0;  // each answer beside the next cheaper model's
    };
    ranking scorer_ranking() const;
    // The time of one whole decision (final answer read, features, score) per
    // answer, beside the next cheaper model's answer, each timed singly, and of
    // what is read once per prompt for all its answers (options, words):
    // microseconds.
    struct timing {
        size_t decisions = 0;
        double p50_us = 0;
        double p99_us = 0;
        double max_us = 0;
        double prompt_p50_us = 0;
        double prompt_p99_us = 0;
    };
    timing decision_time() const;

    // The index of a model in models(), npos when absent.
    size_t index_of(std::string_view model) const;
    // The models' indices, cheapest first.
    std::vector<size_t> models_by_cost() const;

  private:
    struct stage_outcome {
        float score = 0;      // the stage's best score
        float quality = 0;    // the quality of its best scored answer
        float cost = 0;       // the cost of every call up to and including this stage
        bool strong = false;  // the most expensive model was called up to here
        uint8_t calls = 0;    // distinct models called up to here
        uint8_t waits = 0;    // stages that called a model, up to here
    };
    // The outcome of every stage of a chain on sample i (a model called
    // before is not called again: its answer is accepted as it was).
    void replay(size_t i, const std::vector<std::vector<size_t>> & stages, std::vector<stage_outcome> & out) const;
    // Every sample's stage outcomes for config, n x stages.
    void outcomes(const cascade_config & config, std::vector<stage_outcome> & table) const;
    // The point of config on a table of outcomes: each sample's first stage
    // whose score reaches its threshold (the last stage always) answers.
    cascade_point summarize(const std::vector<stage_outcome> & table, size_t stages, cascade_config config) const;
    // The stages of config for sample i (the router's pick in place of an empty first stage).
    const std::vector<std::vector<size_t>> & resolve(size_t i, const cascade_config & config,
                                                     std::vector<std::vector<size_t>> & scratch) const;

    const router::answer_scorer * scorer_ = nullptr;
    const router::learned_router * router_ = nullptr;
    std::vector<size_t> router_to_replay_;  // router model -> replay model
    std::vector<float> predicted_;          // n x router models
    std::vector<std::string> models_;
    std::vector<double> mean_costs_;
    size_t strong_ = 0;
    size_t n_ = 0;
    size_t k_ = 0;
    size_t skipped_ = 0;
    std::vector<std::string_view> prompts_;
    std::vector<router::prompt_options> options_;
    std::vector<router::scored_answer> answers_;  // n x k
    std::vector<double> own_;                     // n x k
    std::vector<float> quality_;                  // n x k
    std::vector<float> cost_;                     // n x k
};

struct held_out_pick {
    std::string target;       // "strong_quality" | "quality_at_30_cost"
    cascade_point chosen_on;  // on the tuning split
    cascade_point result;     // the same setting on the evaluated split
};

struct cascade_report {
    routing_report routing;              // singles, oracle, curve and metrics on the evaluated split
    std::vector<cascade_point> points;   // the curve's settings, cheapest first
    std::optional<cascade_point> file;   // the scorer file's chain and thresholds
    std::vector<held_out_pick> picks;
    std::string tuned_on;
    size_t swept = 0;
    cascade_replay::ranking ranking;
    cascade_replay::timing timing;
};

// tune may be null: the frontier is then chosen on data itself.
result<cascade_report> evaluate_cascade(const router::answer_scorer & scorer, const routing_dataset & data,
                                        const routing_dataset * tune, std::string tuned_on,
                                        const cascade_options & options = {},
                                        const router::learned_router * router = nullptr);

// The chain and thresholds of the cheapest frontier setting reaching
// target x the strongest model's quality (the best setting when none does).
cascade_config pick_for_quality(std::span<const cascade_point> frontier, double quality);

nlohmann::json cascade_report_to_json(const cascade_report & report, size_t max_points = 101);
std::string cascade_report_to_text(const cascade_report & report);

}  // namespace tiergate::eval
