#pragma once
// `tiergate router train|calibrate` and `tiergate eval routing`.
#include <CLI/CLI.hpp>

namespace tiergate::cli {

void register_router_commands(CLI::App & root);

}  // namespace tiergate::cli
