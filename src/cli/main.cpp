// tiergate: the command-line entry point. Wiring only; every command lives in
// its own file and its logic in the module libraries.

#include <CLI/CLI.hpp>

#include "cli/config_commands.h"
#include "cli/distill_commands.h"
#include "cli/finops_commands.h"
#include "cli/guard_commands.h"
#include "cli/intent_commands.h"
#include "cli/cascade_commands.h"
#include "cli/rag_commands.h"
#include "cli/router_commands.h"
#include "cli/serve_command.h"

int main(int argc, char ** argv) {
    CLI::App app{"tiergate: a self-hosted gateway for hybrid AI stacks"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "tiergate 0.1.0");
    tiergate::cli::register_serve_command(app);
    tiergate::cli::register_config_commands(app);
    tiergate::cli::register_router_commands(app);
    tiergate::cli::register_guard_commands(app);
    tiergate::cli::register_finops_commands(app);
    tiergate::cli::register_rag_commands(app);
    tiergate::cli::register_distill_commands(app);
    tiergate::cli::register_intent_commands(app);
    tiergate::cli::register_cascade_commands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError & e) {
        return app.exit(e);
    }
    return 0;
}
