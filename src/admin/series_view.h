#pragma once
// GET /admin/v1/timeseries: requests, errors, tokens and spend per bucket,
// one series per tier, model, key, team, route stage or status; the 12
// series with the most requests, the rest summed as "other". Built from the
// ledger's totals per bucket and group.

#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "admin/period.h"
#include "ledger/usage_query.h"

namespace tiergate::admin {

// tier, model, key, team, stage (the route stage), status.
std::optional<ledger::usage_group> parse_series_group(std::string_view text);
inline constexpr const char * series_group_choices = "tier, model, key, team, stage, status";
inline constexpr size_t max_series = 12;

// The ledger question behind a series of `group` over `p`.
ledger::totals_query series_query(const period & p, ledger::usage_group group);

nlohmann::json series_view(const std::vector<ledger::usage_totals> & totals, const period & p, ledger::usage_group group);

}  // namespace tiergate::admin
