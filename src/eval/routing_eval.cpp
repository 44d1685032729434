#include "eval/routing_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tiergate::eval {

result<scored_samples> score_samples(const router::learned_router & router, const routing_dataset & data) {
    const auto & model = router.model();
    const size_t k = model.models.size();
    std::vector<size_t> column(k);
    for (size_t m = 0; m < k; ++m) {
        column[m] = data.model_index(model.models[m]);
        if (column[m] == std::string_view::npos) {
            return error::invalid("the data has no column for router model '" + model.models[m] + "'", "data",
                                  "model_not_in_data");
        }
    }
    scored_samples out;
    out.k = k;
    std::vector<float> predicted(k);
    for (const routing_sample & s : data.samples) {
        bool complete = true;
        for (size_t m = 0; m < k; ++m) {
            complete = complete && !std::isnan(s.quality[column[m]]);
        }
        if (!complete) {
            ++out.skipped;
            continue;
        }
        router.predict(s.prompt, predicted);
        for (size_t m = 0; m < k; ++m) {
            out.predicted.push_back(predicted[m]);
            out.quality.push_back(s.quality[column[m]]);
            const float c = s.cost[column[m]];
            out.cost.push_back(std::isnan(c) ? static_cast<float>(model.costs[m]) : c);
        }
        ++out.n;
    }
    if (out.n == 0) {
        return error::invalid("no prompt in the data has a quality for every router model", "data", "empty_data");
    }
    return out;
}

size_t strong_model(const router::learned_router & router) {
    const auto & costs = router.model().costs;
    size_t strong = 0;
    for (size_t m = 1; m < costs.size(); ++m) {
        if (costs[m] > costs[strong]) {
            strong = m;
        }
    }
    return strong;
}

std::vector<double> sweep_parameters(const router::learned_router & router, const scored_samples & scored,
                                     size_t max_count) {
    const auto & model = router.model();
    const size_t k = scored.k;
    std::vector<double> values;
    if (model.rule == router::pick_rule::threshold) {
        values.assign(scored.predicted.begin(), scored.predicted.end());
        values.push_back(0.0);
        values.push_back(1.0 + 1e-6);
    } else {
        double max_cost = 0;
        for (double c : model.costs) {
            max_cost = std::max(max_cost, c);
        }
        for (size_t i = 0; i < scored.n; ++i) {
            const float * p = &scored.predicted[i * k];
            for (size_t a = 0; a < k; ++a) {
                for (size_t b = 0; b < k; ++b) {
                    const double dc = max_cost > 0 ? (model.costs[b] - model.costs[a]) / max_cost : 0.0;
                    if (dc > 0 && p[b] > p[a]) {
                        values.push_back((p[b] - p[a]) / dc);
                    }
                }
            }
        }
        values.push_back(0.0);
        double top = 0;
        for (double v : values) {
            top = std::max(top, v);
        }
        values.push_back(top * 1.01 + 1e-6);
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    if (max_count >= 2 && values.size() > max_count) {
        std::vector<double> thinned;
        thinned.reserve(max_count);
        for (size_t i = 0; i < max_count; ++i) {
            thinned.push_back(values[i * (values.size() - 1) / (max_count - 1)]);
        }
        thinned.erase(std::unique(thinned.begin(), thinned.end()), thinned.end());
        values = std::move(thinned);
    }
    return values;
}

curve_point evaluate_parameter(const router::learned_router & router, const scored_samples & scored,
                               double parameter) {
    const size_t k = scored.k;
    const size_t strong = strong_model(router);
    const auto rule = router.model().rule;
    double quality = 0;
    double cost = 0;
    size_t strong_calls = 0;
    for (size_t i = 0; i < scored.n; ++i) {
        const size_t m = router.pick(std::span<const float>(&scored.predicted[i * k], k), rule, parameter);
        quality += scored.quality[i * k + m];
        cost += scored.cost[i * k + m];
        strong_calls += m == strong ? 1 : 0;
    }
    const double n = static_cast<double>(scored.n);
    return curve_point{parameter, strong_calls / n, quality / n, cost / n};
}

std::vector<curve_point> thin_curve(std::span<const curve_point> curve, size_t max_points) {
    if (curve.size() <= max_points || max_points < 2) {
        return {curve.begin(), curve.end()};
    }
    std::vector<curve_point> out;
    for (size_t i = 0; i < max_points; ++i) {
        out.push_back(curve[i * (curve.size() - 1) / (max_points - 1)]);
    }
    return out;
}

void fill_baselines(routing_report & report, std::span<const std::string> models, std::span<const double> mean_costs,
                    std::span<const float> quality, std::span<const float> cost, size_t n) {
    const size_t k = models.size();
    report.n = n;
    report.single_models.clear();
    report.strong = 0;
    report.weak = 0;
    report.best = 0;
    for (size_t m = 1; m < k; ++m) {
        if (mean_costs[m] > mean_costs[report.strong]) {
            report.strong = m;
        }
    }
    for (size_t m = 0; m < k; ++m) {
        single_model_result single{models[m], 0, 0};
        for (size_t i = 0; i < n; ++i) {
            single.quality += quality[i * k + m];
            single.cost += cost[i * k + m];
        }
        single.quality /= static_cast<double>(n);
        single.cost /= static_cast<double>(n);
        report.single_models.push_back(single);
    }
    for (size_t m = 0; m < k; ++m) {
        if (mean_costs[m] < mean_costs[report.weak]) {
            report.weak = m;
        }
        const auto & s = report.single_models;
        if (s[m].quality > s[report.best].quality ||
            (s[m].quality == s[report.best].quality && s[m].cost < s[report.best].cost)) {
            report.best = m;
        }
    }

    // Oracle: for each prompt the cheapest model with the best quality.
    double total_quality = 0;
    double total_cost = 0;
    size_t strong_calls = 0;
    for (size_t i = 0; i < n; ++i) {
        size_t pick = 0;
        for (size_t m = 1; m < k; ++m) {
            const float q = quality[i * k + m];
            const float best = quality[i * k + pick];
            if (q > best || (q == best && cost[i * k + m] < cost[i * k + pick])) {
                pick = m;
            }
        }
        total_quality += quality[i * k + pick];
        total_cost += cost[i * k + pick];
        strong_calls += pick == report.strong ? 1 : 0;
    }
    report.oracle = curve_point{0, strong_calls / static_cast<double>(n), total_quality / n, total_cost / n};
}

void fill_curve_metrics(routing_report & report) {
    const double strong_quality = report.single_models[report.strong].quality;
    const double strong_cost = report.single_models[report.strong].cost;
    if (report.single_models.size() == 2) {
        const double weak_quality = report.single_models[report.weak].quality;
        report.apgr = apgr(report.curve, weak_quality, strong_quality);
        report.cpt50 = cpt(report.curve, weak_quality, strong_quality, 0.5);
        report.cpt80 = cpt(report.curve, weak_quality, strong_quality, 0.8);
        report.cpt95 = cpt(report.curve, weak_quality, strong_quality, 0.95);
    }
    const double target = 0.95 * strong_quality;
    if (auto cost = cheapest_cost_reaching(report.curve, target); cost && strong_cost > 0) {
        report.cost_reduction_at_95 = 1.0 - *cost / strong_cost;
    }
    report.strong_share_at_95 = smallest_share_reaching(report.curve, target);
    for (const curve_point & p : report.curve) {
        if (p.cost <= 0.3 * strong_cost + 1e-15 && (!report.quality_at_30_cost || p.quality > *report.quality_at_30_cost)) {
            report.quality_at_30_cost = p.quality;
        }
    }

    std::vector<cost_quality> points;
    double cost_min = report.single_models.front().cost;
    double cost_max = cost_min;
    for (const single_model_result & s : report.single_models) {
        cost_min = std::min(cost_min, s.cost);
        cost_max = std::max(cost_max, s.cost);
    }
    for (const curve_point & p : report.curve) {
        points.push_back({p.cost, p.quality});
        cost_min = std::min(cost_min, p.cost);
        cost_max = std::max(cost_max, p.cost);
    }
    report.aiq = aiq(points, cost_min, cost_max);
    const single_model_result & best = report.single_models[report.best];
    if (auto cost = cheapest_cost_reaching(report.curve, best.quality); cost && best.cost > 0) {
        report.cost_share_at_best_single = *cost / best.cost;
    }
}

result<routing_report> evaluate_router(const router::learned_router & router, const routing_dataset & data,
                                       const eval_options & options) {
    auto scored = score_samples(router, data);
    if (!scored) {
        return scored.err();
    }
    const auto & model = router.model();
    routing_report report;
    report.skipped = scored->skipped;
    report.rule = router::to_string(model.rule);
    report.parameter = model.parameter();
    fill_baselines(report, model.models, model.costs, scored->quality, scored->cost, scored->n);
    for (double parameter : sweep_parameters(router, *scored, options.max_sweep)) {
        report.curve.push_back(evaluate_parameter(router, *scored, parameter));
    }
    report.operating_point = evaluate_parameter(router, *scored, model.parameter());
    fill_curve_metrics(report);
    return report;
}

namespace {

nlohmann::json optional_json(const std::optional<double> & v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json point_json(const curve_point & p) {
    return {{"threshold", p.parameter}, {"strong_share", p.strong_share}, {"quality", p.quality}, {"cost", p.cost}};
}

std::string format_optional(const std::optional<double> & v, const char * format) {
    if (!v) {
        return "n/a";
    }
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), format, *v);
    return buffer;
}

}  // namespace

nlohmann::json report_to_json(const routing_report & report, size_t max_points) {
    nlohmann::json singles = nlohmann::json::array();
    for (const single_model_result & s : report.single_models) {
        singles.push_back({{"model", s.model}, {"quality", s.quality}, {"cost", s.cost}});
    }
    nlohmann::json points = nlohmann::json::array();
    for (const curve_point & p : thin_curve(report.curve, max_points)) {
        points.push_back(point_json(p));
    }
    return {
        {"n", report.n},
        {"skipped", report.skipped},
        {"rule", report.rule},
        {"apgr", optional_json(report.apgr)},
        {"cpt50", optional_json(report.cpt50)},
        {"cpt80", optional_json(report.cpt80)},
        {"cpt95", optional_json(report.cpt95)},
        {"cost_reduction_at_95", optional_json(report.cost_reduction_at_95)},
        {"strong_share_at_95", optional_json(report.strong_share_at_95)},
        {"aiq", optional_json(report.aiq)},
        {"cost_share_at_best_single", optional_json(report.cost_share_at_best_single)},
        {"quality_at_30_cost", optional_json(report.quality_at_30_cost)},
        {"weak_model", report.single_models[report.weak].model},
        {"strong_model", report.single_models[report.strong].model},
        {"best_single_model", report.single_models[report.best].model},
        {"single_models", singles},
        {"oracle", point_json(report.oracle)},
        {"operating_point", point_json(report.operating_point)},
        {"points", points},
    };
}

std::string report_to_text(const routing_report & report) {
    std::string out;
    char line[512];
    std::snprintf(line, sizeof(line), "prompts evaluated: %zu (skipped %zu without a quality for every model)\n",
                  report.n, report.skipped);
    out += line;
    for (const single_model_result & s : report.single_models) {
        std::snprintf(line, sizeof(line), "  %-45s quality %.4f  cost $%.6f/call\n", s.model.c_str(), s.quality,
                      s.cost);
        out += line;
    }
    std::snprintf(line, sizeof(line), "  %-45s quality %.4f  cost $%.6f/call  strong share %.3f\n", "oracle",
                  report.oracle.quality, report.oracle.cost, report.oracle.strong_share);
    out += line;
    out += "APGR " + format_optional(report.apgr, "%.4f") + "  CPT(50%) " + format_optional(report.cpt50, "%.4f") +
           "  CPT(80%) " + format_optional(report.cpt80, "%.4f") + "  CPT(95%) " +
           format_optional(report.cpt95, "%.4f") + "\n";
    out += "cost reduction at 95% of strong quality " + format_optional(report.cost_reduction_at_95, "%.4f") +
           " (strong share " + format_optional(report.strong_share_at_95, "%.4f") + ")\n";
    out += "AIQ " + format_optional(report.aiq, "%.4f") + "  cost share at best single model quality " +
           format_optional(report.cost_share_at_best_single, "%.4f") + "\n";
    out += "best quality at <= 30% of the most expensive model's cost " +
           format_optional(report.quality_at_30_cost, "%.4f") + "\n";
    std::snprintf(line, sizeof(line),
                  "router setting (%s = %.6g): quality %.4f  cost $%.6f/call  strong share %.3f\n",
                  report.rule.c_str(), report.parameter, report.operating_point.quality, report.operating_point.cost,
                  report.operating_point.strong_share);
    out += line;
    return out;
}

}  // namespace tiergate::eval
