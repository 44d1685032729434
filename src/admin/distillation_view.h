#pragma once
// GET /admin/v1/distillation: what each promotion of a local model's
// weights changed: the traffic between two versions, its SLM share and its
// savings (the ledger's version periods, as `tiergate report` shows them),
// and the version each local model serves now.

#include <vector>

#include <nlohmann/json.hpp>

#include "admin/period.h"
#include "ledger/usage_record.h"
#include "providers/registry.h"

namespace tiergate::admin {

nlohmann::json distillation_view(const std::vector<ledger::usage_record> & records, const period & p,
                                 const providers::registry & models);

}  // namespace tiergate::admin
