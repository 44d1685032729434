#pragma once
// GET /admin/v1/models: each configured model's health now (the upstream's
// circuit state, the local slots in use) and over the period, from the
// ledger's attempts (every call to it, escalations and fallbacks included):
// calls, error rate, latency p50/p99, TTFT p50, output tokens per second.

#include <vector>

#include <nlohmann/json.hpp>

#include "admin/period.h"
#include "config/config.h"
#include "ledger/usage_record.h"
#include "providers/registry.h"

namespace tiergate::admin {

// `records` with their attempts.
nlohmann::json models_view(const std::vector<ledger::usage_record> & records, const period & p,
                           const config::config & cfg, const providers::registry & models);

}  // namespace tiergate::admin
