#pragma once
// GET /admin/v1/budgets: every limit that applies now, to a key or team the
// config or the API names, or through a default to a key in the key store
// (and its team), with its current window's use and reset time.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "admin/budget_overrides.h"
#include "auth/key_record.h"
#include "core/error.h"
#include "ledger/budget_enforcer.h"

namespace tiergate::admin {

// The rows of one key or team: [{scope, id, kind, limit, used, remaining, reset_at_ms, source, on_usd_exhausted}].
result<nlohmann::json> budget_rows(const ledger::budget_enforcer & budgets, ledger::limit_scope scope,
                                   const std::string & id, const char * source, int64_t now_ms);

result<nlohmann::json> budgets_view(const ledger::budget_enforcer & budgets, const ledger::budget_config & base,
                                    const override_map & overrides, const std::vector<auth::key_record> & keys,
                                    int64_t now_ms);

}  // namespace tiergate::admin
