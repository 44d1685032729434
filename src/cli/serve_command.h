#pragma once
// `tiergate serve [--host H] [--port P] [--config FILE]`

#include <CLI/CLI.hpp>

namespace tiergate::cli {

void register_serve_command(CLI::App & root);

}  // namespace tiergate::cli
