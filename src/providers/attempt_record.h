#pragma once
// What each upstream attempt of a call did, for logs, the ledger and the
// error that lists every failure when all of them fail.

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace tiergate::providers {

struct attempt_record {
    std::string model;        // the configured model tried
    std::string deployment;   // which deployment of the model's pool; empty: the model has one endpoint
    int attempt = 1;          // 1-based, per model
    int status = 0;           // the upstream HTTP status, 0 when none arrived
    std::optional<error> failure;  // empty: this attempt answered
    double latency_ms = 0.0;  // start of the attempt to its end (or its failure)
};

// An observer that also implements this interface hears about every attempt
// as it ends (remote providers and fallback_chain look for it with
// dynamic_cast). Called on the same thread as the observer, before on_end.
class attempt_listener {
  public:
    virtual ~attempt_listener() = default;
    virtual void on_attempt(const attempt_record & record) = 0;
};

// "gpt-4o#1: HTTP 429: rate limited" (or "gpt-4o@east#1: ...") summary of one attempt.
std::string describe(const attempt_record & record);

}  // namespace tiergate::providers
