#pragma once
// `tiergate distill generate|dataset|train|eval|labels|promote|rollback`: the distillation
// loop from the command line.
#include <CLI/CLI.hpp>

namespace tiergate::cli {

void register_distill_commands(CLI::App & root);

}  // namespace tiergate::cli
