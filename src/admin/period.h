#pragma once
// The period a read covers and, for time series, its buckets, from the query:
//   range=<n>[smhdw] (ending now; default as the endpoint says), or
//   from=..&to=.. (Unix milliseconds or 2026-12-07T10:00:00Z), at most 93 days;
//   bucket=minute|hour|day (default: minute up to 6 h, hour up to 7 d, day beyond),
//   at most 2,000 buckets.
// Also: the check that a query names only the parameters an endpoint knows.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "core/error.h"

namespace tiergate::admin {

using query_map = std::map<std::string, std::string, std::less<>>;

struct period {
    int64_t from_ms = 0;
    int64_t to_ms = 0;
    std::string bucket;     // minute | hour | day
    int64_t bucket_ms = 0;
    // The first bucket's start (from_ms rounded down to the bucket) and how many.
    int64_t first_bucket_ms() const { return from_ms - from_ms % bucket_ms; }
    int64_t bucket_count() const { return (to_ms - first_bucket_ms() + bucket_ms - 1) / bucket_ms; }
};

inline constexpr int64_t max_period_ms = 93LL * 86'400'000;
inline constexpr int64_t max_buckets = 2000;

result<period> read_period(const query_map & query, int64_t now_ms, std::string_view default_range = "24h");

// 400 naming the first parameter not in `known`.
result<std::monostate> only_params(const query_map & query, std::initializer_list<std::string_view> known);

// Unix milliseconds, or YYYY-MM-DDTHH:MM:SS[.mmm]Z.
result<int64_t> parse_time(std::string_view text, const char * param);

}  // namespace tiergate::admin
