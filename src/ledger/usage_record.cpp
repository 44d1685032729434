#include "ledger/usage_record.h"

namespace tiergate::ledger {

std::string_view to_string(tier t) {
    switch (t) {
        case tier::slm: return "slm";
        case tier::mid: return "mid";
        case tier::frontier: return "frontier";
    }
    return "slm";
}

std::string_view to_string(attempt_kind k) {
    switch (k) {
        case attempt_kind::primary: return "primary";
        case attempt_kind::escalation: return "escalation";
        case attempt_kind::retry: return "retry";
        case attempt_kind::fallback: return "fallback";
    }
    return "primary";
}

std::optional<tier> parse_tier(std::string_view s) {
    for (tier t : {tier::slm, tier::mid, tier::frontier}) {
        if (to_string(t) == s) {
            return t;
        }
    }
    return std::nullopt;
}

std::optional<attempt_kind> parse_attempt_kind(std::string_view s) {
    for (attempt_kind k : {attempt_kind::primary, attempt_kind::escalation, attempt_kind::retry, attempt_kind::fallback}) {
        if (to_string(k) == s) {
            return k;
        }
    }
    return std::nullopt;
}

void usage_record::total_from_attempts() {
    if (attempts.empty()) {
        return;
    }
    input_tokens = 0;
    output_tokens = 0;
    cost_usd = 0.0;
    escalated = false;
    for (const auto & a : attempts) {
        input_tokens += a.input_tokens;
        output_tokens += a.output_tokens;
        cost_usd += a.cost_usd;
        escalated = escalated || a.kind == attempt_kind::escalation;
    }
    const auto & last = attempts.back();
    if (latency_ms <= 0.0) {
        double before_last = 0.0;
        for (size_t i = 0; i + 1 < attempts.size(); ++i) {
            before_last += attempts[i].latency_ms;
        }
        latency_ms = before_last + last.latency_ms;
        if (ttft_ms <= 0.0 && last.ttft_ms > 0.0) {
            ttft_ms = before_last + last.ttft_ms;
        }
    }
    final_tier = last.tier_used;
    model = last.model;
    provider = last.provider;
    status = last.status;
}

}  // namespace tiergate::ledger
