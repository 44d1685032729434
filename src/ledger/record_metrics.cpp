#include "ledger/record_metrics.h"

namespace tiergate::ledger {

void record_metrics(obs::gateway_metrics & m, const usage_record & r) {
    const std::string tier_name(to_string(r.final_tier));
    const std::string status = std::to_string(r.status.http_status);
    m.requests.with({tier_name, r.model, r.route, status}).inc();
    m.tokens.with({tier_name, r.model, "input"}).inc(static_cast<double>(r.input_tokens));
    m.tokens.with({tier_name, r.model, "output"}).inc(static_cast<double>(r.output_tokens));
    m.cost_usd.with({tier_name, r.model}).inc(r.cost_usd);
    m.counterfactual_cost_usd.with({tier_name, r.model}).inc(r.counterfactual_cost_usd);
    m.savings_usd.with({tier_name, r.model}).inc(r.savings_usd());
    m.latency_seconds.with({tier_name, r.model, r.route, status}).observe(r.latency_ms / 1000.0);
    if (r.ttft_ms > 0) {
        m.ttft_seconds.with({tier_name, r.model, r.route}).observe(r.ttft_ms / 1000.0);
    }
    for (size_t i = 1; i < r.attempts.size(); ++i) {
        const auto & prev = r.attempts[i - 1];
        const auto & a = r.attempts[i];
        if (a.kind == attempt_kind::escalation) {
            m.escalations.with({std::string(to_string(prev.tier_used)), std::string(to_string(a.tier_used))}).inc();
        } else if (a.kind == attempt_kind::fallback) {
            const std::string reason = prev.status.error_code.empty() ? std::to_string(prev.status.http_status)
                                                                      : prev.status.error_code;
            m.fallbacks.with({prev.provider, a.provider, reason}).inc();
        }
    }
    if (r.tool_calls > 0) {
        m.tool_calls.with({tier_name, r.model}).inc(static_cast<double>(r.tool_calls));
    }
    for (const auto & [type, count] : r.pii_counts) {
        m.pii_detections.with({type}).inc(static_cast<double>(count));
    }
}

}  // namespace tiergate::ledger
