#pragma once
// Step one of reading a config: the YAML text into raw structs, strictly.
// Syntax errors, unknown fields, wrong types and missing required fields are
// recorded in `errors`; meaning (enums, references, files) is validate_config()'s.

#include <string>

#include "config/config_error.h"
#include "config/raw_config.h"

namespace tiergate::config {

raw_config parse_raw_config(const std::string & yaml_text, config_errors & errors);

}  // namespace tiergate::config
