#pragma once
// What the ledger keeps for every request: one usage_record per request (the
// parent) holding one attempt_record per provider call it made (the first
// call, cascade escalations, retries, fallbacks). Totals on the parent are the
// sums over its attempts. PII is kept as counts per entity type, never values.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::ledger {

enum class tier { slm, mid, frontier };
enum class attempt_kind { primary, escalation, retry, fallback };

std::string_view to_string(tier t);
std::string_view to_string(attempt_kind k);
std::optional<tier> parse_tier(std::string_view s);
std::optional<attempt_kind> parse_attempt_kind(std::string_view s);

struct call_status {
    int http_status = 200;
    std::string error_code;  // empty on success
    bool ok() const { return http_status >= 200 && http_status < 300 && error_code.empty(); }
};

struct attempt_record {
    int attempt = 1;  // 1-based order within the request
    attempt_kind kind = attempt_kind::primary;
    tier tier_used = tier::slm;
    std::string model;
    std::string deployment;  // which deployment of a pooled model; empty: the model has one endpoint
    std::string provider;
    int64_t input_tokens = 0;
    int64_t output_tokens = 0;
    double cost_usd = 0.0;
    double latency_ms = 0.0;
    double ttft_ms = 0.0;  // 0 when nothing was streamed
    call_status status;
};

struct usage_record {
    std::string request_id;
    int64_t time_ms = 0;  // Unix time in milliseconds when the request arrived
    std::string key_id;
    std::string team;
    std::string route;         // the route decision (route name)
    std::string route_reason;  // why the router chose it (stage and rule)
    tier final_tier = tier::slm;
    std::string model;     // the model that produced the answer
    std::string provider;  // the provider that produced the answer
    int64_t input_tokens = 0;
    int64_t output_tokens = 0;
    double cost_usd = 0.0;
    double counterfactual_cost_usd = 0.0;  // the same tokens on the frontier baseline model
    double latency_ms = 0.0;
    double ttft_ms = 0.0;
    call_status status;
    bool escalated = false;
    std::map<std::string, int64_t> pii_counts;  // entity type -> count
    int64_t tool_calls = 0;                     // tool calls in the answer
    // The chunks retrieval added to the prompt, "collection:chunk_id" separated
    // by spaces (ids only, never their text); empty without retrieval.
    std::string retrieved;
    // exact | semantic when the answer came from the answer cache (it then
    // costs nothing; the counterfactual is what its tokens cost on the baseline).
    std::string cache;
    // The version of the local model's weights that answered: "base" as
    // configured, "v<N>" after the N-th promotion (tiergate distill promote);
    // empty for a remote model.
    std::string model_version;
    // A step of an agent run (agent:<name>, agents, orchestrator): the run's
    // trace id, shared by all its steps, and the specialist that took the
    // step (empty for the planner's and the composer's steps); both empty
    // for an ordinary request.
    std::string trace_id;
    std::string agent;
    std::vector<attempt_record> attempts;
    // How many attempts the store holds for it: set by store::newest(), which
    // reads records without their attempts; otherwise attempts.size() counts.
    int64_t attempt_count = 0;

    double savings_usd() const { return counterfactual_cost_usd - cost_usd; }
    // Sums tokens and cost over the attempts, sets escalated when any attempt
    // escalated, and takes tier/model/provider/status from the last attempt.
    // When latency_ms is not set yet it becomes the attempts' latencies added
    // up, and ttft_ms the earlier attempts' latencies plus the last one's TTFT.
    void total_from_attempts();
};

}  // namespace tiergate::ledger
