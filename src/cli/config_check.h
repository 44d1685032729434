#pragma once
// A config file checked as `tiergate serve` would check it at startup: the
// file itself, the key policy, and every section a module reads strictly
// (router, guard, budgets, retrieval, cache, distill, agents). `tiergate
// config check` prints the outcome; a running server's reload uses it to
// refuse a bad file before anything changes.

#include <filesystem>

#include "config/load_config.h"

namespace tiergate::cli {

// `value` is set only when there is no error at all.
config::load_result check_config_file(const std::filesystem::path & file);

}  // namespace tiergate::cli
