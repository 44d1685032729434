#pragma once
// How long to wait before the next attempt: exponential backoff with jitter,
// or what the upstream asked for in Retry-After.

#include <chrono>
#include <optional>
#include <string_view>

#include "providers/http_client.h"

namespace tiergate::providers {

// base * 2^(failed_attempts-1), then a uniformly random point in its upper
// half (so concurrent callers spread out but never retry instantly).
millis backoff_delay(millis base, int failed_attempts);

// Retry-After as delta-seconds (HTTP dates are not honoured), or
// retry-after-ms; nullopt when absent or unreadable.
std::optional<millis> retry_after(const header_map & headers);

}  // namespace tiergate::providers
