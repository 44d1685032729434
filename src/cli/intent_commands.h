#pragma once
// `tiergate agents train-intents` and `tiergate eval intents`: the intent
// classifier that routes requests to specialist agents. The `agents` group
// is shared (cli_group.h): other agent commands ask command_group() for it.
#include <CLI/CLI.hpp>

namespace tiergate::cli {

void register_intent_commands(CLI::App & root);

}  // namespace tiergate::cli
