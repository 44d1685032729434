#pragma once
// GET /admin/v1/privacy: PII findings by entity type (counts, never values)
// and what happened to the requests holding them: blocked by the guard,
// kept on-prem (served by a local model), sent out protected (pseudonymized
// or redacted by the guard's policy), or not served by any model.

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "admin/period.h"
#include "ledger/usage_record.h"

namespace tiergate::admin {

// blocked | kept_on_prem | protected | not_served; for a record with findings.
std::string_view privacy_action(const ledger::usage_record & r);

nlohmann::json privacy_view(const std::vector<ledger::usage_record> & records, const period & p);

}  // namespace tiergate::admin
