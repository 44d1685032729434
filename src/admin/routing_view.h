#pragma once
// GET /admin/v1/routing: the decision mix by stage, by reason and by model;
// the cascade's escalation rate; fallbacks and retries from the attempts.

#include <vector>

#include <nlohmann/json.hpp>

#include "admin/period.h"
#include "ledger/usage_record.h"

namespace tiergate::admin {

// `records` with their attempts.
nlohmann::json routing_view(const std::vector<ledger::usage_record> & records, const period & p);

}  // namespace tiergate::admin
