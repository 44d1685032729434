#pragma once
// Questions the admin API asks the ledger without reading every row:
//   totals  requests, errors, tokens and dollars summed per time bucket and
//           per group (tier, model, key, team, route stage, status), in SQL;
//   newest  one page of rows, newest first, filtered, after a cursor.
// One SQL text serves SQLite (`?n` parameters) and PostgreSQL (`$n`).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tiergate::ledger {

enum class usage_group { none, tier, model, key, team, route, status };

struct totals_query {
    int64_t from_ms = 0;
    int64_t to_ms = 0;
    int64_t first_bucket_ms = 0;  // bucket i starts at first_bucket_ms + i * bucket_ms
    int64_t bucket_ms = 0;        // 0: the whole period is one bucket
    usage_group group = usage_group::none;
};

// One bucket and group. A request refused before any model has the tier
// group "" (no tier); status groups are "ok" and "error".
struct usage_totals {
    int64_t bucket = 0;  // index from first_bucket_ms
    std::string group;
    int64_t requests = 0;
    int64_t errors = 0;
    int64_t escalated = 0;
    int64_t cache_hits = 0;
    int64_t input_tokens = 0;
    int64_t output_tokens = 0;
    double cost_usd = 0;
    double counterfactual_cost_usd = 0;
    int64_t last_ms = 0;  // the latest request's time
};

struct newest_query {
    int64_t from_ms = 0;
    int64_t to_ms = 0;
    std::optional<std::string> key, team, model, tier, route;
    std::optional<bool> ok;
    // Only rows older than this (time, request id) in the newest-first order.
    std::optional<std::pair<int64_t, std::string>> before;
    size_t limit = 50;
};

struct sql_text {
    std::string sql;
    std::vector<std::variant<int64_t, std::string>> params;
};

// Parameters are numbered: PostgreSQL's $1, $2 ... or SQLite's ?1, ?2 ...
sql_text totals_sql(const totals_query & q, bool postgresql);
// Selects the request columns the stores read (see request_columns) and attempt_count.
sql_text newest_sql(const newest_query & q, const char * request_columns, bool postgresql);

}  // namespace tiergate::ledger
