#include "cli/intent_commands.h"

#include "cli/cli_errors.h"
#include "cli/cli_group.h"
#include "core/error.h"
#include "eval/intent_data.h"
#include "eval/intent_domains.h"
#include "eval/intent_eval.h"
#include "eval/intent_train.h"
#include "router/intent_classifier.h"
#include "router/intent_file.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace tiergate::cli {
namespace {

struct train_intents_options {
    std::string data;
    std::string domains;
    std::string out;
    std::string calibration = "auto";
    uint64_t seed = router::intent_training_config{}.seed;
    int epochs = router::intent_training_config{}.epochs;
    double holdout = eval::intent_train_options{}.holdout_fraction;
    double max_accuracy_drop = eval::intent_calibration_options{}.max_accuracy_drop;
};

void run_train_intents(const train_intents_options & o) {
    eval::intent_train_options options;
    options.calibration = take(eval::parse_calibration_source(o.calibration));
    options.training.seed = o.seed;
    options.training.epochs = o.epochs;
    options.holdout_fraction = o.holdout;
    options.calibrate.max_accuracy_drop = o.max_accuracy_drop;
    const eval::intent_dataset data = take(eval::load_intent_data(o.data));
    const eval::intent_domain_map domains = take(eval::load_intent_domains(o.domains));
    eval::intent_train_summary summary;
    const router::intent_model model = take(eval::train_intent_model(data, domains, options, &summary));
    const size_t bytes = take(router::save_intents(model, o.out));
    nlohmann::json out = eval::summary_to_json(summary);
    out["router"] = o.out;
    out["bytes"] = bytes;
    out["seed"] = o.seed;
    out["epochs"] = o.epochs;
    std::cout << out.dump(2) << "\n";
}

struct eval_intents_options {
    std::string router;
    std::string data;
    bool json = false;
};

void run_eval_intents(const eval_intents_options & o) {
    const router::intent_classifier classifier = take(router::intent_classifier::load(o.router));
    const eval::intent_dataset data = take(eval::load_intent_data(o.data));
    const eval::intent_report report = take(eval::evaluate_intents(classifier, data));
    if (o.json) {
        std::cout << eval::report_to_json(report).dump() << "\n";
        return;
    }
    std::printf("%s split: %zu rows (%zu in scope, %zu out of scope)\n", report.split.c_str(), report.rows,
                report.in_scope_rows, report.oos_rows);
    std::printf("  in-scope accuracy  %.4f\n  oos recall         %.4f\n  oos precision      %.4f\n",
                report.in_scope_accuracy, report.oos_recall, report.oos_precision);
    std::printf("  decision p50/p99   %.1f / %.1f us\n", report.decision_p50_us, report.decision_p99_us);
    for (const auto & [domain, accuracy] : report.per_domain) {
        std::printf("  %-20s %.4f (%zu rows)\n", domain.empty() ? "(none)" : domain.c_str(), accuracy,
                    report.per_domain_rows.at(domain));
    }
}

}  // namespace

void register_intent_commands(CLI::App & root) {
    CLI::App & agents_group = command_group(root, "agents", "specialist agents: routing requests to them");
    CLI::App & eval_group = command_group(root, "eval", "offline evaluations");

    auto train = std::make_shared<train_intents_options>();
    CLI::App * train_cmd =
        agents_group.add_subcommand("train-intents", "train an intent classifier (CLINC150 data_full.json layout)");
    train_cmd->add_option("--data", train->data, "JSON object of splits, each a list of [text, intent]")->required();
    train_cmd->add_option("--domains", train->domains, "JSON object: domain -> list of intents")->required();
    train_cmd->add_option("--out", train->out, "intent file to write")->required();
    train_cmd
        ->add_option("--calibration", train->calibration,
                     "where the OOS threshold is calibrated: val | holdout | auto (val when the data has a test "
                     "split, else holdout)")
        ->capture_default_str();
    train_cmd->add_option("--seed", train->seed, "seed of the shuffles and the holdout slice")->capture_default_str();
    train_cmd->add_option("--epochs", train->epochs, "passes over the training rows")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    train_cmd->add_option("--holdout", train->holdout, "share of train held out for --calibration holdout")
        ->check(CLI::Range(0.01, 0.9))
        ->capture_default_str();
    train_cmd
        ->add_option("--max-accuracy-drop", train->max_accuracy_drop,
                     "in-scope accuracy the OOS threshold may cost on the calibration rows (0..1)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    train_cmd->callback([train]() { guarded([&] { run_train_intents(*train); }); });

    auto evaluate = std::make_shared<eval_intents_options>();
    CLI::App * eval_cmd = eval_group.add_subcommand(
        "intents", "in-scope accuracy, OOS recall/precision and decision time (test split, else val)");
    eval_cmd->add_option("--router", evaluate->router, "intent file")->required();
    eval_cmd->add_option("--data", evaluate->data, "JSON object of splits, each a list of [text, intent]")->required();
    eval_cmd->add_flag("--json", evaluate->json, "print one JSON object");
    eval_cmd->callback([evaluate]() { guarded([&] { run_eval_intents(*evaluate); }); });
}

}  // namespace tiergate::cli
