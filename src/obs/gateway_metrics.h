#pragma once
// The gateway's metric families, registered once at startup. Label sets:
//   requests, latency:  tier, model, route, status
//   tokens:             tier, model, direction (input | output)
//   cost, savings:      tier, model
//   ttft:               tier, model, route
#include "obs/metrics_registry.h"

#include <string>

namespace tiergate::obs {

struct gateway_metrics {
    explicit gateway_metrics(metrics_registry & registry);

    counter_family & requests;                // tiergate_requests_total
    counter_family & tokens;                  // tiergate_tokens_total
    counter_family & cost_usd;                // tiergate_cost_usd_total
    counter_family & counterfactual_cost_usd; // tiergate_counterfactual_cost_usd_total
    counter_family & savings_usd;             // tiergate_savings_usd_total
    histogram_family & latency_seconds;       // tiergate_request_duration_seconds
    histogram_family & ttft_seconds;          // tiergate_time_to_first_token_seconds
    counter_family & escalations;             // tiergate_escalations_total{from_tier,to_tier}
    counter_family & fallbacks;               // tiergate_fallbacks_total{from_provider,to_provider,reason}
    counter_family & pii_detections;          // tiergate_pii_detections_total{entity_type}
    counter_family & tool_calls;              // tiergate_tool_calls_total{tier,model}
    counter_family & budget_rejections;       // tiergate_budget_rejections_total{scope,limit}
    counter_family & budget_degradations;     // tiergate_budget_degradations_total{scope,limit}
    counter_family & cache_lookups;           // tiergate_cache_lookups_total{result}: exact, semantic, miss
    counter_family & agent_runs;              // tiergate_agent_runs_total{agent,outcome}
    counter_family & agent_steps;             // tiergate_agent_steps_total{agent,kind}: model or the tool
    counter_family & agent_step_failures;     // tiergate_agent_step_failures_total{agent,kind}
    counter_family & agent_cost_usd;          // tiergate_agent_cost_usd_total{agent}
    histogram_family & agent_run_seconds;     // tiergate_agent_run_duration_seconds{agent}
    gauge_family & ledger_queue_depth;        // tiergate_ledger_queue_depth
    counter_family & ledger_records_written;  // tiergate_ledger_records_written_total
    counter_family & ledger_write_errors;     // tiergate_ledger_write_errors_total
    counter_family & deployment_requests;     // tiergate_deployment_requests_total{model,deployment,outcome}
    counter_family & deployment_skips;        // tiergate_deployment_skips_total{model,deployment,reason}
    gauge_family & deployment_in_flight;      // tiergate_deployment_in_flight{model,deployment}
    gauge_family & deployment_up;             // tiergate_deployment_up{model,deployment}
    gauge_family & deployment_latency_seconds;  // tiergate_deployment_latency_seconds{model,deployment}

    // Seconds; from 5 ms (a local SLM's first token) to 60 s (a long frontier answer).
    static const std::vector<double> & latency_buckets();
};

}  // namespace tiergate::obs
