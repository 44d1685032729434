#pragma once
// Counts one finished request in the gateway metrics: requests, tokens, cost,
// counterfactual cost, savings, latency, TTFT, escalations, fallbacks and PII.
#include "ledger/usage_record.h"
#include "obs/gateway_metrics.h"

namespace tiergate::ledger {

void record_metrics(obs::gateway_metrics & metrics, const usage_record & record);

}  // namespace tiergate::ledger
