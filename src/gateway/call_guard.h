#pragma once
// The guard applied to one generation call: every text that may leave the
// machine (system prompts, every message of the history, the prompt of a
// text completion) is scanned once, then rewritten twice:
//   egress   for external models: redactions and pseudonyms applied
//   on_prem  for on-prem models: redactions applied, pseudonymized values kept
// The placeholders are numbered in message order, so the same value gets the
// same placeholder in every message of the conversation, and every turn of a
// conversation that resends its history numbers the same values the same way.

#include <memory>
#include <string>
#include <vector>

#include "core/chat_types.h"
#include "core/error.h"
#include "guard/guard_result.h"
#include "guard/policy.h"
#include "guard/pseudonymizer.h"
#include "guard/scanner.h"

namespace tiergate::gateway {

struct guarded_call {
    generation_call egress;
    generation_call on_prem;
    std::shared_ptr<const guard::pseudonymizer> names;  // placeholder <-> value of this conversation
    guard::guard_result result;

    bool pseudonymized() const { return names && names->size() > 0; }
};

// A blocked request is an error (403, code pii_blocked) that names the entity
// types and counts, never the values.
result<guarded_call> guard_call(const guard::scanner & scanner, const guard::guard_policy & policy,
                                const guard::guard_policy & on_prem_policy, const generation_call & call);

// The same for embedding inputs (nothing is restored: vectors carry no text).
struct guarded_inputs {
    std::vector<std::string> egress;
    std::vector<std::string> on_prem;
    guard::guard_result result;
};
result<guarded_inputs> guard_inputs(const guard::scanner & scanner, const guard::guard_policy & policy,
                                    const guard::guard_policy & on_prem_policy, const std::vector<std::string> & inputs);

}  // namespace tiergate::gateway
