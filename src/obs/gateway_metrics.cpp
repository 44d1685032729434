#include "obs/gateway_metrics.h"

namespace tiergate::obs {

const std::vector<double> & gateway_metrics::latency_buckets() {
    static const std::vector<double> buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    return buckets;
}

gateway_metrics::gateway_metrics(metrics_registry & r)
    : requests(r.add_counter("tiergate_requests_total", "Requests served, by final tier, model, route and HTTP status.",
                             {"tier", "model", "route", "status"})),
      tokens(r.add_counter("tiergate_tokens_total", "Tokens processed, by tier, model and direction.",
                           {"tier", "model", "direction"})),
      cost_usd(r.add_counter("tiergate_cost_usd_total", "Cost in US dollars at the configured prices.",
                             {"tier", "model"})),
      counterfactual_cost_usd(r.add_counter("tiergate_counterfactual_cost_usd_total",
                                            "Cost the same tokens would have had on the frontier baseline model.",
                                            {"tier", "model"})),
      savings_usd(r.add_counter("tiergate_savings_usd_total",
                                "Counterfactual frontier cost minus actual cost, in US dollars.", {"tier", "model"})),
      latency_seconds(r.add_histogram("tiergate_request_duration_seconds", "Request latency from receipt to last byte.",
                                      {"tier", "model", "route", "status"}, latency_buckets())),
      ttft_seconds(r.add_histogram("tiergate_time_to_first_token_seconds", "Time to the first streamed token.",
                                   {"tier", "model", "route"}, latency_buckets())),
      escalations(r.add_counter("tiergate_escalations_total", "Cascade escalations from one tier to a higher one.",
                                {"from_tier", "to_tier"})),
      fallbacks(r.add_counter("tiergate_fallbacks_total", "Fallbacks to the next provider after a failed attempt.",
                              {"from_provider", "to_provider", "reason"})),
      pii_detections(r.add_counter("tiergate_pii_detections_total", "PII entities detected in requests, by type.",
                                   {"entity_type"})),
      tool_calls(r.add_counter("tiergate_tool_calls_total", "Tool calls in answers, by the tier and model that made them.",
                               {"tier", "model"})),
      budget_rejections(r.add_counter("tiergate_budget_rejections_total",
                                      "Requests rejected (429) because a budget or rate limit was exhausted.",
                                      {"scope", "limit"})),
      budget_degradations(r.add_counter("tiergate_budget_degradations_total",
                                        "Requests moved to the SLM tier because a dollar budget was exhausted.",
                                        {"scope", "limit"})),
      cache_lookups(r.add_counter("tiergate_cache_lookups_total",
                                  "Answer cache lookups, by result: exact or semantic hit, or miss.", {"result"})),
      agent_runs(r.add_counter("tiergate_agent_runs_total",
                               "Runs of specialist agents and plans, by agent and outcome (ok, failed, partial, tool_calls).",
                               {"agent", "outcome"})),
      agent_steps(r.add_counter("tiergate_agent_steps_total",
                                "Steps of agent runs: model calls and tool calls, by agent and kind.", {"agent", "kind"})),
      agent_step_failures(r.add_counter("tiergate_agent_step_failures_total",
                                        "Agent steps that failed (model call errors, refused or failed tool calls).",
                                        {"agent", "kind"})),
      agent_cost_usd(r.add_counter("tiergate_agent_cost_usd_total", "Cost of the model calls of each agent, in US dollars.",
                                   {"agent"})),
      agent_run_seconds(r.add_histogram("tiergate_agent_run_duration_seconds", "Duration of agent runs and plans.",
                                        {"agent"}, latency_buckets())),
      ledger_queue_depth(r.add_gauge("tiergate_ledger_queue_depth", "Usage records waiting to be written.")),
      ledger_records_written(r.add_counter("tiergate_ledger_records_written_total", "Usage records written to the store.")),
      ledger_write_errors(r.add_counter("tiergate_ledger_write_errors_total", "Failed ledger batch writes (retried).")) {}

}  // namespace tiergate::obs
