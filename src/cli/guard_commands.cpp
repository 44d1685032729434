#include "cli/guard_commands.h"

#include "cli/cli_group.h"
#include "eval/pii_eval.h"
#include "guard/scan_report.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace tiergate::cli {

void register_guard_commands(CLI::App & root) {
    CLI::App & guard = command_group(root, "guard", "privacy guard: PII and secret detection");
    auto scan_json = std::make_shared<bool>(false);
    CLI::App * scan = guard.add_subcommand("scan", "read text on stdin and print the PII and secrets found (types and byte offsets)");
    scan->add_flag("--json", *scan_json, "print one JSON object {findings, counts}");
    scan->callback([scan_json]() {
        const int code = guard::run_guard_scan(std::cin, std::cout, *scan_json);
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });

    CLI::App & eval = command_group(root, "eval", "offline evaluation");
    struct pii_options {
        std::string data;
        bool json = false;
        std::vector<std::string> without;
    };
    auto options = std::make_shared<pii_options>();
    CLI::App * pii = eval.add_subcommand(
        "pii", "span-level precision, recall and F1 per entity type on Presidio-format data (overlap and strict matching)");
    pii->add_option("--data", options->data, "Presidio-format JSON: [{full_text, spans: [{entity_type, start_position, end_position}]}]")
        ->required();
    pii->add_flag("--json", options->json, "print one JSON object {per_type, micro, strict, ...}");
    pii->add_option("--without", options->without, "evidence to switch off: dictionaries, context, shape")
        ->delimiter(',');
    pii->callback([options]() {
        const int code = eval::run_eval_pii(options->data, options->json, options->without, std::cout, std::cerr);
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });
}

}  // namespace tiergate::cli
