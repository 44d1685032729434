#include "cli/cascade_commands.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_errors.h"
#include "cli/cli_group.h"
#include "eval/cascade_eval.h"
#include "eval/routing_calibrate.h"
#include "eval/routing_plot.h"
#include "eval/routing_split.h"
#include "eval/scorer_train.h"
#include "router/learned_router.h"
#include "router/router_file.h"
#include "router/scorer_file.h"

namespace tiergate::cli {
namespace {

eval::cascade_options cascade_settings(size_t max_stages, size_t parallel) {
    if (max_stages < 1 || max_stages > 4) {
        fail(error::invalid("--max-stages must be within 1..4", "max-stages"));
    }
    if (parallel < 1 || parallel > 3) {
        fail(error::invalid("--parallel-start must be within 1..3", "parallel-start"));
    }
    eval::cascade_options o;
    o.max_stages = max_stages;
    o.parallel_start = parallel;
    return o;
}

struct train_options {
    std::vector<std::string> data;
    std::string out;
    std::vector<std::string> costs;
    std::string target = "quality=1.0";
    uint64_t split_seed = 0;
    size_t max_stages = 3;
    size_t parallel = 3;
    int epochs = 4;
    int others_draws = 2;
    bool json = false;
};

void run_train(const train_options & o) {
    const std::vector<eval::cost_override> overrides = take(eval::parse_cost_overrides(o.costs));
    const eval::calibration_target target = take(eval::parse_calibration_target(o.target));
    if (target.what != eval::calibration_target::kind::quality) {
        fail(error::invalid("--target must be quality=Q (a share of the strongest model's quality)", "target"));
    }
    const eval::cascade_options options = cascade_settings(o.max_stages, o.parallel);
    const auto start = std::chrono::steady_clock::now();
    const eval::routing_dataset data = take(eval::load_routing_data(o.data));
    eval::scorer_data_options training;
    training.split_seed = o.split_seed;
    training.training.epochs = o.epochs;
    training.training.others_draws = o.others_draws;
    router::scorer_training_summary summary;
    router::scorer_model model = take(eval::train_scorer_on_data(data, overrides, training, &summary));
    const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    // The chain and thresholds for the target, chosen on the validation split.
    const eval::routing_dataset validation = eval::select_split(data, eval::data_split::validation, o.split_seed);
    std::optional<eval::cascade_point> chosen;
    double strong_quality = 0;
    if (!validation.samples.empty()) {
        const router::answer_scorer scorer(model);
        auto replay = take(eval::cascade_replay::prepare(scorer, validation));
        const std::vector<eval::cascade_point> frontier = replay.frontier(options);
        const eval::routing_report base = replay.baseline();
        strong_quality = base.single_models[base.strong].quality;
        const eval::cascade_config config = eval::pick_for_quality(frontier, target.value * strong_quality);
        for (const auto & stage : config.stages) {
            router::cascade_stage names;
            for (size_t m : stage) {
                names.push_back(replay.models()[m]);
            }
            model.chain.push_back(std::move(names));
        }
        model.thresholds = config.thresholds;
        chosen = replay.evaluate(config);
    }
    const size_t bytes = take(router::save_scorer(model, o.out));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string chain;
    if (chosen) {
        chain = eval::describe_config(chosen->config, model.models);
    }
    if (o.json) {
        nlohmann::json out = {{"scorer", o.out},
                              {"bytes", bytes},
                              {"train_prompts", summary.prompts},
                              {"examples", summary.examples},
                              {"log_loss", summary.final_log_loss},
                              {"train_seconds", train_seconds},
                              {"seconds", seconds},
                              {"models", model.models},
                              {"chain", model.chain},
                              {"thresholds", model.thresholds}};
        if (chosen) {
            out["validation"] = {{"quality", chosen->point.quality},
                                 {"strong_quality", strong_quality},
                                 {"cost", chosen->point.cost},
                                 {"calls", chosen->calls}};
        }
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::printf("trained on %zu prompts (%zu examples, log loss %.4f) in %.2f s\n", summary.prompts, summary.examples,
                summary.final_log_loss, train_seconds);
    if (chosen) {
        std::printf("chain for %s on validation: %s\n  quality %.4f (strongest model %.4f)  cost $%.6f/call  calls %.2f\n",
                    o.target.c_str(), chain.c_str(), chosen->point.quality, strong_quality, chosen->point.cost,
                    chosen->calls);
    }
    std::printf("wrote %s (%zu bytes)\n", o.out.c_str(), bytes);
}

// The prompt-only router's settings picked on the tuning split as the
// cascade's are (the best quality at <= 30% of the strongest model's cost;
// the cheapest reaching its quality), evaluated on the reported split.
nlohmann::json held_out_router_picks(const router::learned_router & router, const eval::routing_dataset & tuning,
                                     const eval::routing_dataset & part) {
    const eval::routing_report tuned = take(eval::evaluate_router(router, tuning));
    const eval::scored_samples scored = take(eval::score_samples(router, part));
    const double strong_cost = tuned.single_models[tuned.strong].cost;
    const double strong_quality = tuned.single_models[tuned.strong].quality;
    const double part_strong_cost = [&] {
        double sum = 0;
        for (size_t i = 0; i < scored.n; ++i) {
            sum += scored.cost[i * scored.k + eval::strong_model(router)];
        }
        return sum / static_cast<double>(scored.n);
    }();
    const eval::curve_point * cheap = nullptr;
    const eval::curve_point * reach = nullptr;
    for (const auto & p : tuned.curve) {
        if (p.cost <= 0.3 * strong_cost && (cheap == nullptr || p.quality > cheap->quality)) {
            cheap = &p;
        }
        if (p.quality >= strong_quality && (reach == nullptr || p.cost < reach->cost)) {
            reach = &p;
        }
    }
    nlohmann::json out = nlohmann::json::object();
    auto result = [&](const eval::curve_point & chosen) {
        const eval::curve_point r = eval::evaluate_parameter(router, scored, chosen.parameter);
        return nlohmann::json{{"parameter", chosen.parameter},
                              {"quality", r.quality},
                              {"cost_share", part_strong_cost > 0 ? r.cost / part_strong_cost : 0.0}};
    };
    if (cheap != nullptr) {
        out["quality_at_30_cost"] = result(*cheap);
    }
    if (reach != nullptr) {
        out["strong_quality"] = result(*reach);
    }
    return out;
}

struct eval_options {
    std::string scorer;
    std::vector<std::string> data;
    std::string split = "test";
    std::string tune_split = "validation";
    std::string router;
    std::string plot;
    uint64_t split_seed = 0;
    size_t max_stages = 3;
    size_t parallel = 3;
    size_t grid = 12;
    size_t points = 101;
    bool no_router_first = false;
    bool json = false;
};

void run_eval(const eval_options & o) {
    eval::cascade_options options = cascade_settings(o.max_stages, o.parallel);
    if (o.grid < 1 || o.grid > 100) {
        fail(error::invalid("--grid must be within 1..100", "grid"));
    }
    options.grid = o.grid;
    const router::answer_scorer scorer(take(router::load_scorer(o.scorer)));
    const eval::data_split split = take(eval::parse_split(o.split));
    std::optional<eval::data_split> tune;
    if (o.tune_split != "none") {
        tune = take(eval::parse_split(o.tune_split));
        if (*tune == split || *tune == eval::data_split::all || split == eval::data_split::all) {
            fail(error::invalid("--tune-split must be another part of the data than --split (or none)", "tune-split"));
        }
    }
    const eval::routing_dataset data = take(eval::load_routing_data(o.data));
    const eval::routing_dataset part = eval::select_split(data, split, o.split_seed);
    if (part.samples.empty()) {
        fail(error::invalid("the " + o.split + " split of the data is empty", "split"));
    }
    std::optional<eval::routing_dataset> tuning;
    if (tune) {
        tuning = eval::select_split(data, *tune, o.split_seed);
    }
    std::optional<router::learned_router> router;
    std::optional<eval::routing_report> prompt_only;
    nlohmann::json router_picks = nlohmann::json::object();
    if (!o.router.empty()) {
        router.emplace(take(router::load_router(o.router)));
        prompt_only = take(eval::evaluate_router(*router, part));
        if (tuning) {
            router_picks = held_out_router_picks(*router, *tuning, part);
        }
    }
    const eval::cascade_report report = take(eval::evaluate_cascade(
        scorer, part, tuning ? &*tuning : nullptr, tune ? o.tune_split : std::string("the evaluated split"), options,
        router && !o.no_router_first ? &*router : nullptr));
    if (!o.plot.empty()) {
        std::vector<eval::plot_curve> others;
        if (prompt_only) {
            others.push_back({"prompt-only router", prompt_only->curve});
        }
        const std::string title = "answer-scorer cascade on " + std::to_string(report.routing.n) + " prompts (" +
                                  o.split + " split)";
        std::ofstream out(o.plot, std::ios::binary | std::ios::trunc);
        if (!out || !(out << eval::render_routing_svg(report.routing, title, "scorer cascade", others)) || !out.flush()) {
            fail(error::invalid("cannot write plot " + o.plot, "plot"));
        }
    }
    if (o.json) {
        nlohmann::json out = eval::cascade_report_to_json(report, o.points);
        out["split"] = o.split;
        out["split_seed"] = o.split_seed;
        if (prompt_only) {
            out["prompt_router"] = {{"aiq", prompt_only->aiq ? nlohmann::json(*prompt_only->aiq) : nlohmann::json()},
                                    {"quality_at_30_cost", prompt_only->quality_at_30_cost
                                                               ? nlohmann::json(*prompt_only->quality_at_30_cost)
                                                               : nlohmann::json()},
                                    {"cost_share_at_best_single", prompt_only->cost_share_at_best_single
                                                                      ? nlohmann::json(*prompt_only->cost_share_at_best_single)
                                                                      : nlohmann::json()},
                                    {"held_out_picks", router_picks}};
        }
        std::cout << out.dump() << "\n";
        return;
    }
    std::cout << eval::cascade_report_to_text(report);
    if (prompt_only) {
        std::printf("prompt-only router: AIQ %.4f  best quality at <= 30%% cost %.4f\n",
                    prompt_only->aiq.value_or(0.0), prompt_only->quality_at_30_cost.value_or(0.0));
    }
}

}  // namespace

void register_cascade_commands(CLI::App & root) {
    CLI::App & router_group = command_group(root, "router", "train and calibrate the learned router");
    CLI::App & eval_group = command_group(root, "eval", "offline evaluations");

    auto train = std::make_shared<train_options>();
    CLI::App * train_cmd = router_group.add_subcommand(
        "train-scorer", "train an answer scorer from stored answers and choose its cascade on the validation split");
    train_cmd->add_option("--data", train->data, "routing CSV files or folders with answers (RouterBench format)")
        ->required()
        ->expected(1, -1);
    train_cmd->add_option("--out", train->out, "scorer file to write")->required();
    train_cmd->add_option("--cost", train->costs, "MODEL=USD_PER_CALL for models whose cost is not in the data");
    train_cmd->add_option("--target", train->target, "the chain's quality on validation: quality=Q (x the strongest model's)")
        ->capture_default_str();
    train_cmd->add_option("--split-seed", train->split_seed, "0: the default split; another value draws another split")
        ->capture_default_str();
    train_cmd->add_option("--max-stages", train->max_stages, "the longest chain considered (1..4)")->capture_default_str();
    train_cmd->add_option("--parallel-start", train->parallel, "the most models the first stage starts together (1..3)")
        ->capture_default_str();
    train_cmd->add_option("--epochs", train->epochs, "passes over the training answers")->capture_default_str();
    train_cmd->add_option("--others-draws", train->others_draws,
                          "each answer is also trained beside 1..N other answers to its prompt")
        ->capture_default_str();
    train_cmd->add_flag("--json", train->json, "print a JSON summary");
    train_cmd->callback([train]() { guarded([&] { run_train(*train); }); });

    auto evaluate = std::make_shared<eval_options>();
    CLI::App * eval_cmd = eval_group.add_subcommand(
        "cascade", "replay answer-scorer cascades on stored answers and report routing metrics");
    eval_cmd->add_option("--scorer", evaluate->scorer, "scorer file")->required();
    eval_cmd->add_option("--data", evaluate->data, "routing CSV files or folders with answers")->required()->expected(1, -1);
    eval_cmd->add_option("--split", evaluate->split, "part of the data reported: train|validation|test|all")
        ->capture_default_str();
    eval_cmd->add_option("--tune-split", evaluate->tune_split,
                         "part where the curve's settings are chosen: validation|train|test|none (none: on --split)")
        ->capture_default_str();
    eval_cmd->add_option("--split-seed", evaluate->split_seed, "the split's seed (as in router train-scorer)")
        ->capture_default_str();
    eval_cmd->add_option("--router", evaluate->router,
                         "a prompt-only router file: compared with, and its pick tried as the first stage");
    eval_cmd->add_flag("--no-router-first", evaluate->no_router_first, "with --router: compare only");
    eval_cmd->add_option("--plot", evaluate->plot, "write an SVG of the cost-quality curves");
    eval_cmd->add_option("--max-stages", evaluate->max_stages, "the longest chain considered (1..4)")->capture_default_str();
    eval_cmd->add_option("--parallel-start", evaluate->parallel, "the most models the first stage starts together (1..3)")
        ->capture_default_str();
    eval_cmd->add_option("--points", evaluate->points, "the most curve points in the JSON output (2..100000)")
        ->capture_default_str()
        ->check(CLI::Range(size_t{2}, size_t{100000}));
    eval_cmd->add_option("--grid", evaluate->grid, "thresholds tried per stage (quantiles of its scores)")
        ->capture_default_str();
    eval_cmd->add_flag("--json", evaluate->json, "print one JSON object");
    eval_cmd->callback([evaluate]() { guarded([&] { run_eval(*evaluate); }); });
}

}  // namespace tiergate::cli
