#pragma once
// The tiergate::error for what went wrong with an upstream, and whether the
// same upstream is worth another attempt.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "providers/http_client.h"

namespace tiergate::providers {

// An HTTP error status: 429 -> rate_limited (with retry_after_s),
// 400/404/413/422 -> invalid_request (the upstream rejected the call),
// others -> upstream. The body's error message is quoted when it has one.
error error_for_status(const std::string & model, int status, std::string_view body,
                       std::optional<millis> retry_after);
// A transport failure: timeouts -> timeout, the rest -> upstream.
error error_for_transport(const std::string & model, const http_outcome & outcome);
// A 2xx response whose content we cannot use.
error invalid_response(const std::string & model, const std::string & why);

// Connection errors, 429 and 5xx are retried on the same upstream.
bool is_retryable_status(int status);
bool is_retryable_transport(transport_failure f);

// The "message" of an OpenAI or Anthropic error body, else the body itself
// (shortened); empty when the body is empty.
std::string upstream_message(std::string_view body);

// The error codes set here.
inline constexpr const char * code_cancelled = "cancelled";
inline constexpr const char * code_circuit_open = "circuit_open";

}  // namespace tiergate::providers
