#pragma once
// `tiergate guard scan` and `tiergate eval pii`.
#include <CLI/CLI.hpp>

namespace tiergate::cli {

void register_guard_commands(CLI::App & root);

}  // namespace tiergate::cli
