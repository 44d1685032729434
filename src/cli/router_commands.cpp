#include "cli/router_commands.h"

#include "cli/cli_errors.h"
#include "cli/cli_group.h"
#include "core/error.h"
#include "eval/routing_calibrate.h"
#include "eval/routing_data.h"
#include "eval/routing_eval.h"
#include "eval/routing_plot.h"
#include "eval/routing_split.h"
#include "eval/routing_train.h"
#include "router/learned_router.h"
#include "router/router_file.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tiergate::cli {
namespace {

eval::routing_dataset load_split(const std::vector<std::string> & paths, const std::string & split_name,
                                 uint64_t seed) {
    const eval::data_split split = take(eval::parse_split(split_name));
    eval::routing_dataset data = take(eval::load_routing_data(paths));
    eval::routing_dataset part = eval::select_split(data, split, seed);
    if (part.samples.empty()) {
        fail(error::invalid("the " + split_name + " split of the data is empty", "split"));
    }
    return part;
}

nlohmann::json calibration_json(const eval::calibration_result & c, const router::router_model & model) {
    return {{"rule", router::to_string(model.rule)},
            {"threshold", c.parameter},
            {"met", c.met},
            {"n", c.n},
            {"strong_quality", c.strong_quality},
            {"strong_share", c.achieved.strong_share},
            {"quality", c.achieved.quality},
            {"cost", c.achieved.cost}};
}

void print_calibration(const eval::calibration_result & c, const router::router_model & model) {
    std::printf("%s = %.6g on %zu prompts: quality %.4f (strongest model %.4f), strong share %.3f, cost $%.6f/call%s\n",
                router::to_string(model.rule), c.parameter, c.n, c.achieved.quality, c.strong_quality,
                c.achieved.strong_share, c.achieved.cost, c.met ? "" : " (target not reachable: closest setting)");
}

struct train_options {
    std::vector<std::string> data;
    std::string out;
    std::vector<std::string> costs;
    std::string split = "train";
    std::string target = "quality=0.95";
    uint64_t split_seed = 0;
    bool json = false;
};

void run_train(const train_options & o) {
    const std::vector<eval::cost_override> overrides = take(eval::parse_cost_overrides(o.costs));
    const eval::calibration_target target = take(eval::parse_calibration_target(o.target));
    const eval::data_split split = take(eval::parse_split(o.split));
    const auto start = std::chrono::steady_clock::now();
    const eval::routing_dataset data = take(eval::load_routing_data(o.data));
    eval::train_summary summary;
    router::router_model model = take(eval::train_on_data(data, split, overrides, {}, &summary, o.split_seed));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    // The initial setting comes from the validation split when training used the train split.
    std::optional<eval::calibration_result> calibration;
    if (split == eval::data_split::train) {
        const eval::routing_dataset validation = eval::select_split(data, eval::data_split::validation, o.split_seed);
        if (!validation.samples.empty()) {
            calibration = take(eval::calibrate_router(model, validation, target));
        }
    }
    const size_t bytes = take(router::save_router(model, o.out));
    if (o.json) {
        nlohmann::json models = nlohmann::json::array();
        for (size_t m = 0; m < summary.models.size(); ++m) {
            models.push_back({{"model", summary.models[m]},
                              {"cost", summary.costs[m]},
                              {"cost_source", summary.cost_sources[m]}});
        }
        nlohmann::json out = {{"router", o.out},
                              {"bytes", bytes},
                              {"train_samples", summary.samples},
                              {"dropped_contaminated", data.dropped_contaminated},
                              {"seconds", seconds},
                              {"models", models},
                              {"calibration", calibration ? calibration_json(*calibration, model) : nullptr}};
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::printf("trained on %zu prompts (%s split; %zu dropped as contaminated) in %.2f s\n", summary.samples,
                o.split.c_str(), data.dropped_contaminated, seconds);
    for (size_t m = 0; m < summary.models.size(); ++m) {
        std::printf("  %-45s $%.6f/call (%s)\n", summary.models[m].c_str(), summary.costs[m],
                    summary.cost_sources[m].c_str());
    }
    if (calibration) {
        std::printf("validation %s: ", o.target.c_str());
        print_calibration(*calibration, model);
    }
    std::printf("wrote %s (%zu bytes)\n", o.out.c_str(), bytes);
}

struct calibrate_options {
    std::string router;
    std::vector<std::string> data;
    std::string target;
    std::string split = "validation";
    uint64_t split_seed = 0;
    bool json = false;
};

void run_calibrate(const calibrate_options & o) {
    const eval::calibration_target target = take(eval::parse_calibration_target(o.target));
    router::router_model model = take(router::load_router(o.router));
    const eval::routing_dataset data = load_split(o.data, o.split, o.split_seed);
    const eval::calibration_result c = take(eval::calibrate_router(model, data, target));
    take(router::save_router(model, o.router));
    if (o.json) {
        std::cout << calibration_json(c, model).dump(2) << "\n";
        return;
    }
    print_calibration(c, model);
    std::printf("wrote %s\n", o.router.c_str());
}

struct eval_options {
    std::string router;
    std::vector<std::string> data;
    std::string split = "test";
    std::string plot;
    uint64_t split_seed = 0;
    size_t points = 101;
    bool json = false;
};

void run_eval(const eval_options & o) {
    const router::learned_router router(take(router::load_router(o.router)));
    const eval::routing_dataset data = load_split(o.data, o.split, o.split_seed);
    const eval::routing_report report = take(eval::evaluate_router(router, data));
    if (!o.plot.empty()) {
        std::ofstream out(o.plot, std::ios::binary | std::ios::trunc);
        const std::string title = "routing on " + std::to_string(report.n) + " prompts (" + o.split + " split)";
        if (!out || !(out << eval::render_routing_svg(report, title)) || !out.flush()) {
            fail(error::invalid("cannot write plot " + o.plot, "plot"));
        }
    }
    if (o.json) {
        std::cout << eval::report_to_json(report, o.points).dump() << "\n";
        return;
    }
    std::cout << eval::report_to_text(report);
}

}  // namespace

void register_router_commands(CLI::App & root) {
    CLI::App & router_group = command_group(root, "router", "train and calibrate the learned router");
    CLI::App & eval_group = command_group(root, "eval", "offline evaluations");

    auto train = std::make_shared<train_options>();
    CLI::App * train_cmd = router_group.add_subcommand("train", "train a router file from routing data");
    train_cmd->add_option("--data", train->data, "routing CSV files or folders (RouteLLM or RouterBench format)")
        ->required()
        ->expected(1, -1);
    train_cmd->add_option("--out", train->out, "router file to write")->required();
    train_cmd->add_option("--cost", train->costs, "MODEL=USD_PER_CALL for models whose cost is not in the data");
    train_cmd->add_option("--split", train->split, "part of the data to train on: train|validation|test|all")
        ->capture_default_str();
    train_cmd->add_option("--target", train->target, "initial setting on the validation split: strong-share=S | quality=Q")
        ->capture_default_str();
    train_cmd->add_option("--split-seed", train->split_seed, "0: the default split; another value draws another split")
        ->capture_default_str();
    train_cmd->add_flag("--json", train->json, "print a JSON summary");
    train_cmd->callback([train]() { guarded([&] { run_train(*train); }); });

    auto calibrate = std::make_shared<calibrate_options>();
    CLI::App * calibrate_cmd =
        router_group.add_subcommand("calibrate", "set the router threshold that meets a target on held-out data");
    calibrate_cmd->add_option("--router", calibrate->router, "router file to update")->required();
    calibrate_cmd->add_option("--data", calibrate->data, "routing CSV files or folders")->required()->expected(1, -1);
    calibrate_cmd->add_option("--target", calibrate->target, "strong-share=S | quality=Q")->required();
    calibrate_cmd->add_option("--split", calibrate->split, "part of the data: train|validation|test|all")
        ->capture_default_str();
    calibrate_cmd->add_option("--split-seed", calibrate->split_seed, "the split's seed (as in router train)")
        ->capture_default_str();
    calibrate_cmd->add_flag("--json", calibrate->json, "print a JSON result");
    calibrate_cmd->callback([calibrate]() { guarded([&] { run_calibrate(*calibrate); }); });

    auto evaluate = std::make_shared<eval_options>();
    CLI::App * eval_cmd = eval_group.add_subcommand("routing", "sweep the router threshold and report routing metrics");
    eval_cmd->add_option("--router", evaluate->router, "router file")->required();
    eval_cmd->add_option("--data", evaluate->data, "routing CSV files or folders")->required()->expected(1, -1);
    eval_cmd->add_option("--split", evaluate->split, "part of the data: train|validation|test|all")
        ->capture_default_str();
    eval_cmd->add_option("--plot", evaluate->plot, "write an SVG of the cost-quality curve");
    eval_cmd->add_option("--split-seed", evaluate->split_seed, "the split's seed (as in router train)")
        ->capture_default_str();
    eval_cmd->add_option("--points", evaluate->points, "the most curve points in the JSON output (2..100000)")
        ->capture_default_str()
        ->check(CLI::Range(size_t{2}, size_t{100000}));
    eval_cmd->add_flag("--json", evaluate->json, "print one JSON object");
    eval_cmd->callback([evaluate]() { guarded([&] { run_eval(*evaluate); }); });
}

}  // namespace tiergate::cli
