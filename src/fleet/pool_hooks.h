#pragma once
// What a pool calls outside itself: active health checks and the counters
// it shares with the other gateways in front of the same deployments.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/error.h"
#include "fleet/pool_settings.h"

namespace tiergate::fleet {

// One active health check of a remote deployment (GET origin + the
// configured path, with its key); `done` hears whether it answered 2xx in
// time, once, on any thread; nullopt: no verdict (the shutdown cut it).
using probe_fn = std::function<void(const deployment_settings & deployment,
                                    std::function<void(std::optional<bool> healthy)> done)>;

// Adds `delta` to the shared `counter` (created when missing, gone after
// `expire_at_ms`, Unix ms) and returns its total.
using shared_count_fn =
    std::function<result<int64_t>(const std::string & counter, int64_t delta, int64_t expire_at_ms)>;

// How often a pool reports its RPM/TPM use to the shared counters and reads the others'.
constexpr std::chrono::milliseconds usage_sync_interval{200};

}  // namespace tiergate::fleet
