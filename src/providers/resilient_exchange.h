#pragma once
// One upstream call with its retry policy and circuit breaker: attempts an
// HTTP exchange, retries on connection errors, 429 (honouring Retry-After)
// and 5xx with jittered exponential backoff, but never once output has been
// delivered. Reports every attempt and finishes exactly once.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "providers/attempt_record.h"
#include "providers/circuit_breaker.h"
#include "providers/http_client.h"

namespace tiergate::providers {

struct exchange_plan {
    std::string model;  // for errors and attempt records
    endpoint_url url;
    http_request_spec request;
    int max_attempts = 1;
    millis base_backoff{200};
    millis max_retry_after{30'000};     // a longer Retry-After is not waited for
    std::shared_ptr<circuit_breaker> breaker;  // may be null
};

// Called on the thread the call runs on: the caller's io_home when it has
// one, else the runtime's thread.
struct exchange_hooks {
    // A 2xx head arrived: start decoding a new response.
    std::function<void(const header_map & headers)> on_success_head;
    // Body of a 2xx response; an error ends the attempt (not retried).
    std::function<std::optional<error>(std::string_view chunk)> on_body;
    // The 2xx body ended cleanly; an error makes the attempt fail (not retried).
    std::function<std::optional<error>()> on_complete;
    // True once something reached the caller: no more attempts.
    std::function<bool()> committed;
    // False once the caller is gone.
    std::function<bool()> wanted;
    std::function<void(const attempt_record & record)> on_attempt;
    // Exactly once: nullopt on success, else the last attempt's failure.
    std::function<void(std::optional<error> failure)> on_finish;
};

void run_resilient_exchange(std::shared_ptr<http_client> client, io_runtime & runtime, exchange_plan plan,
                            exchange_hooks hooks);

}  // namespace tiergate::providers
