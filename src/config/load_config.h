#pragma once
// Reading a config file: parse strictly, then validate. `tiergate serve` and
// `tiergate config check` run the same code.

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_error.h"
#include "config/env_lookup.h"

namespace tiergate::config {

// The config, or every error found (file:line: field.path: message).
struct load_result {
    std::optional<config> value;
    std::vector<config_error> errors;
    bool ok() const { return value.has_value(); }
    std::string errors_text() const;
};

// `file_name` is what errors call the file; relative paths inside resolve
// against `base_dir`.
load_result load_config_text(const std::string & yaml_text, const std::string & file_name,
                             const std::filesystem::path & base_dir, const env_lookup & env = process_env());
load_result load_config_file(const std::filesystem::path & path, const env_lookup & env = process_env());

// For startup: the config, or throws config_load_error listing every error.
config load_config_or_throw(const std::filesystem::path & path, const env_lookup & env = process_env());

}  // namespace tiergate::config
