#pragma once
// Step two of reading a config: raw structs into the runtime `config`,
// checking meaning: enums, URLs, files, environment variables, unique names,
// fallback references and cycles, non-negative prices. Defaults are applied here.

#include <filesystem>
#include <string>

#include "config/config.h"
#include "config/config_error.h"
#include "config/env_lookup.h"
#include "config/raw_config.h"

namespace tiergate::config {

struct validate_options {
    env_lookup env = process_env();
    // Relative paths in the file (model_dir, keys.store) resolve against this
    // directory: the config file's own directory.
    std::filesystem::path base_dir = ".";
};

config validate_config(const raw_config & raw, const validate_options & options, config_errors & errors);

}  // namespace tiergate::config
