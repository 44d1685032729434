#pragma once
// Applies a guard policy to one text (a message of a request): decides per
// finding by the first covering rule, rewrites the text for redaction and
// pseudonymization, and records types and counts.

#include "core/error.h"
#include "guard/finding.h"
#include "guard/guard_result.h"
#include "guard/policy.h"
#include "guard/pseudonymizer.h"
#include "guard/scanner.h"

#include <string>
#include <string_view>
#include <vector>

namespace tiergate::guard {

struct guarded_text {
    std::string text;  // the text to send on
    guard_result result;
};

guarded_text apply_policy(std::string_view text, const std::vector<finding> & findings, const guard_policy & policy,
                          pseudonymizer & names);

// What the policy does with a finding: its first covering rule's action (allow when none covers it).
policy_action action_for(const guard_policy & policy, const finding & f);

// Scans and applies; a blocked text is an error (403, code "pii_blocked")
// that names the entity types and counts, never the values.
result<guarded_text> guard_text(const scanner & scanner, std::string_view text, const guard_policy & policy,
                                pseudonymizer & names);

}  // namespace tiergate::guard
