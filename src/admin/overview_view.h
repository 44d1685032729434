#pragma once
// GET /admin/v1/overview: the period's requests, errors, spend, savings
// against the frontier baseline, and the tier split against its target,
// from the ledger's totals per tier (ledger::usage_group::tier, one bucket).

#include <array>
#include <vector>

#include <nlohmann/json.hpp>

#include "admin/period.h"
#include "ledger/usage_query.h"

namespace tiergate::admin {

nlohmann::json overview_view(const std::vector<ledger::usage_totals> & by_tier, const period & p,
                             const std::array<double, 3> & tier_target);

}  // namespace tiergate::admin
