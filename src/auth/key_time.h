#pragma once
// Key expiry as written on the command line and shown in lists: UTC dates
// ("2027-01-01" means midnight UTC), ISO times ("2027-01-01T12:00:00Z") and
// lifetimes ("90s", "15m", "12h", "30d", "2w").

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace tiergate::auth {

result<int64_t> parse_expiry(std::string_view text);
result<int64_t> parse_ttl_seconds(std::string_view text);
std::string format_utc(int64_t unix_seconds);
int64_t unix_seconds(std::chrono::system_clock::time_point t);

}  // namespace tiergate::auth
