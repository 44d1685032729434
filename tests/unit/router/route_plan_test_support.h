#pragma once
// Shared pieces of the router stage tests: a config from YAML text and the
// route models it declares.

#include <string>
#include <vector>

#include "config/config.h"
#include "config/load_config.h"
#include "router/route_request.h"

namespace tiergate::router::testing {

// Loads a config from YAML text; the test fails (and the result is empty) on errors.
config::load_result load(const std::string & yaml);

// Three models: slm (local file from ../shared/models), mid (on-prem remote),
// frontier (external remote), then `extra` appended at the top level.
std::string three_models(const std::string & extra = "");

}  // namespace tiergate::router::testing
