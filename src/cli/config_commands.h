#pragma once
// `tiergate config check FILE` and `tiergate keys create|list|revoke`.
#include <CLI/CLI.hpp>

namespace tiergate::cli {

void register_config_commands(CLI::App & root);

}  // namespace tiergate::cli
