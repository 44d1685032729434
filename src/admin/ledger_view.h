#pragma once
// GET /admin/v1/ledger: ledger rows, newest first, without any prompt or
// answer text. Filters key, team, model, tier, stage, status=ok|error;
// `limit` rows a page (1-500, default 50); `cursor` continues after the
// last row of the page before (as next_cursor gave it). The store does the
// filtering and the paging (ledger::store::newest).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "admin/period.h"
#include "core/error.h"
#include "ledger/usage_query.h"
#include "ledger/usage_record.h"

namespace tiergate::admin {

inline constexpr size_t max_ledger_page = 500;

// The filters, the page size and the cursor of the query, over `p`. The
// question asks for one row more than the page, to know whether another follows.
result<ledger::newest_query> read_ledger_query(const query_map & query, const period & p);

// `rows` as the store answered `q` (newest first, at most q.limit of them).
nlohmann::json ledger_view(const std::vector<ledger::usage_record> & rows, const ledger::newest_query & q);

}  // namespace tiergate::admin
