#pragma once
// `tiergate router train-scorer` and `tiergate eval cascade`.
#include <CLI/CLI.hpp>

namespace tiergate::cli {

void register_cascade_commands(CLI::App & root);

}  // namespace tiergate::cli
