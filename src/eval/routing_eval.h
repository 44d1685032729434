#pragma once
// Evaluation of a learned router on routing data: sweep the router's
// threshold (or lambda), measure the share of strong calls, the mean quality
// and the mean cost at each setting, and compute the metrics.

#include "core/error.h"
#include "eval/routing_data.h"
#include "eval/routing_metrics.h"
#include "router/learned_router.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tiergate::eval {

// Predictions, qualities and costs of the samples that have a quality for
// every router model, as n x k matrices in the router's model order.
struct scored_samples {
    size_t n = 0;
    size_t k = 0;
    size_t skipped = 0;  // samples without a quality for some router model
    std::vector<float> predicted;
    std::vector<float> quality;
    std::vector<float> cost;  // from the data, else the router's cost
};

result<scored_samples> score_samples(const router::learned_router & router, const routing_dataset & data);

// The most expensive model (the higher quality one on equal cost).
size_t strong_model(const router::learned_router & router);

// Candidate parameter values for the router's rule that cover every distinct
// decision, thinned to at most max_count quantiles.
std::vector<double> sweep_parameters(const router::learned_router & router, const scored_samples & scored,
                                     size_t max_count);

curve_point evaluate_parameter(const router::learned_router & router, const scored_samples & scored,
                               double parameter);

struct single_model_result {
    std::string model;
    double quality = 0;
    double cost = 0;
};

struct routing_report {
    size_t n = 0;
    size_t skipped = 0;
    std::vector<single_model_result> single_models;
    size_t weak = 0;    // cheapest model
    size_t strong = 0;  // most expensive model
    size_t best = 0;    // best single model (cheaper on ties)
    std::string rule;
    double parameter = 0;        // the router file's setting
    curve_point operating_point;  // the metrics at that setting
    curve_point oracle;
    std::vector<curve_point> curve;  // every swept point, by parameter
    std::optional<double> apgr, cpt50, cpt80, cpt95;
    std::optional<double> cost_reduction_at_95;  // 1 - cost / strong cost at 95% of strong quality
    std::optional<double> strong_share_at_95;
    std::optional<double> aiq;
    std::optional<double> cost_share_at_best_single;
    // The best quality among settings costing at most 30% of the most
    // expensive model's cost (nullopt when none is that cheap).
    std::optional<double> quality_at_30_cost;
};

struct eval_options {
    size_t max_sweep = 1500;  // parameter values swept
};

// The single models, the cheapest, the most expensive (strong: by
// mean_costs), the best single model and the oracle of n x k matrices of
// quality and cost.
void fill_baselines(routing_report & report, std::span<const std::string> models, std::span<const double> mean_costs,
                    std::span<const float> quality, std::span<const float> cost, size_t n);

// The metrics of report.curve against the report's single models.
void fill_curve_metrics(routing_report & report);

result<routing_report> evaluate_router(const router::learned_router & router, const routing_dataset & data,
                                       const eval_options & options = {});

// At most max_points of the curve, evenly spread, with both ends.
std::vector<curve_point> thin_curve(std::span<const curve_point> curve, size_t max_points);

nlohmann::json report_to_json(const routing_report & report, size_t max_points = 101);
std::string report_to_text(const routing_report & report);

}  // namespace tiergate::eval
