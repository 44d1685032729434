#pragma once
// Every module-owned section of a config, read and checked together: what
// `tiergate serve` starts with and what `tiergate config check` reports.

#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_error.h"
#include "gateway/budget_settings.h"
#include "gateway/guard_settings.h"
#include "router/route_settings.h"

namespace tiergate::gateway {

struct gateway_settings {
    router::route_settings route;
    guard_settings guard;
    budget_settings budgets;
};

// Reads the router, guard and budgets sections of `cfg`; errors name the
// file, line and field. Also checks what needs two sections at once (a
// learned router file that loads and names the models it maps).
gateway_settings read_gateway_settings(const config::config & cfg, config::config_errors & errors);

}  // namespace tiergate::gateway
