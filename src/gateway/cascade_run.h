#pragma once
// The confidence cascade at run time. The first model answers with token
// log-probabilities on; its tokens are held back (the client sees nothing of
// an answer that may be discarded) and scored as they arrive
// (router::cascade_confidence). Decoding stops as soon as the answer can no
// longer pass. A passing answer is released to the client; a failing one
// (or a failed attempt) is discarded and the request goes to the escalation
// model. With decide_after_tokens, a passing prefix is released at once and
// the rest streams through.

#include <memory>
#include <optional>
#include <string>

#include "core/chat_types.h"
#include "providers/provider.h"
#include "router/route_settings.h"

namespace tiergate::gateway {

// What happened to the first model's attempt, for the ledger and the route header.
struct cascade_report {
    std::string first_model;
    std::string escalation_model;
    int prompt_tokens = 0;
    int completion_tokens = 0;
    double latency_ms = 0.0;
    double ttft_ms = 0.0;
    std::optional<error> failure;  // the first model's attempt failed
    bool accepted = false;
    bool early_stop = false;       // decoding stopped before the answer ended
    bool escalated = false;
    std::string confidence;        // cascade_confidence::describe()
    std::string reason;            // why it escalated, or "accepted"

    // "accepted(mean_logprob=...)" | "escalated(min_logprob -9.10 < -8.00, early stop)"
    std::string summary() const;
};

// Starts the cascade; `observer` hears the released answer or the escalation's.
// `first` and `then` must outlive the call (the observer's keep-alive holds them).
void run_cascade(providers::provider & first, providers::provider & then, const router::cascade_settings & settings,
                 const generation_call & call, std::shared_ptr<generation_observer> observer,
                 std::shared_ptr<cascade_report> report);

}  // namespace tiergate::gateway
