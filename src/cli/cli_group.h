#pragma once
// Command groups (`tiergate eval ...`, `tiergate router ...`) are shared by
// several command files: each one asks for the group here instead of creating it.
#include <CLI/CLI.hpp>

#include <string>

namespace tiergate::cli {

inline CLI::App & command_group(CLI::App & parent, const std::string & name, const std::string & description) {
    auto same_name = [&](CLI::App * app) { return app->get_name() == name; };
    if (auto found = parent.get_subcommands(same_name); !found.empty()) {
        return *found.front();
    }
    CLI::App * group = parent.add_subcommand(name, description);
    group->require_subcommand(1);
    return *group;
}

}  // namespace tiergate::cli
