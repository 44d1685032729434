#pragma once
// `tiergate report` and `tiergate plan memory | cost`: option wiring only; the
// work is done by tiergate_ledger (report) and tiergate_plan (plans).
#include <CLI/CLI.hpp>

namespace tiergate::cli {

void register_finops_commands(CLI::App & root);

}  // namespace tiergate::cli
