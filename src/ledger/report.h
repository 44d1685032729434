#pragma once
// The FinOps report over a period: cost per tier, model and day; traffic share
// per tier; savings against sending everything to the frontier baseline;
// latency and TTFT percentiles per tier. Rendered as text, JSON or an HTML
// page with SVG charts.
#include "core/error.h"
#include "ledger/store.h"
#include "ledger/usage_record.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tiergate::ledger {

struct tier_summary {
    tier tier_id = tier::slm;
    int64_t requests = 0;
    double share = 0.0;  // of all requests, 0..1
    int64_t input_tokens = 0;
    int64_t output_tokens = 0;
    double cost_usd = 0.0;
    double counterfactual_cost_usd = 0.0;
    double latency_p50_ms = 0.0;
    double latency_p95_ms = 0.0;
    double ttft_p50_ms = 0.0;  // over requests that streamed
    double ttft_p95_ms = 0.0;
};

struct model_summary {
    tier tier_id = tier::slm;
    std::string model;
    int64_t requests = 0;
    int64_t input_tokens = 0;
    int64_t output_tokens = 0;
    double cost_usd = 0.0;
};

struct day_cost {
    std::string day;  // YYYY-MM-DD (UTC)
    tier tier_id = tier::slm;
    std::string model;
    int64_t requests = 0;
    double cost_usd = 0.0;
    double counterfactual_cost_usd = 0.0;
};

// The traffic between two changes of a local model's weights: a period starts
// at the first request a version (`model_version`, "base", "v1", ...) served.
// The SLM share and the savings before and after each promotion.
struct version_period {
    std::string model;    // the local model whose new version starts the period
    std::string version;  // its version from then on
    int64_t from_ms = 0;  // its first request
    int64_t to_ms = 0;    // the last request of the period
    int64_t requests = 0;  // all requests of the period, every model
    int64_t slm_requests = 0;
    double slm_share = 0.0;
    double cost_usd = 0.0;
    double counterfactual_cost_usd = 0.0;
    double savings_usd = 0.0;
};

// The steps one specialist took in agent runs (ledger rows with `agent` set).
struct agent_summary {
    std::string agent;
    int64_t runs = 0;    // distinct trace ids
    int64_t steps = 0;   // its model calls
    int64_t failed = 0;  // steps that did not succeed
    int64_t input_tokens = 0;
    int64_t output_tokens = 0;
    double cost_usd = 0.0;
    double latency_p50_ms = 0.0;  // per step
    double latency_p95_ms = 0.0;
};

struct finops_report {
    int64_t from_ms = 0;
    int64_t to_ms = 0;
    int64_t requests = 0;
    int64_t escalated = 0;
    int64_t errors = 0;  // non-2xx
    double cost_usd = 0.0;
    double counterfactual_cost_usd = 0.0;
    double savings_usd = 0.0;
    double savings_pct = 0.0;
    std::vector<tier_summary> tiers;      // slm, mid, frontier (tiers without traffic included)
    std::vector<model_summary> models;    // by cost, highest first
    std::vector<day_cost> days;           // by day, tier, model
    std::vector<version_period> versions;  // in time order; empty when no local model reported a version
    std::vector<agent_summary> agents;     // by cost, highest first; empty without agent traffic
};

// "7d", "24h", "90m", "2w", "30s" -> milliseconds.
result<int64_t> parse_period(const std::string & text);
finops_report build_report(const std::vector<usage_record> & records, int64_t from_ms, int64_t to_ms);
result<finops_report> build_report(store & source, int64_t from_ms, int64_t to_ms);

std::string render_report_text(const finops_report & report);
std::string render_report_json(const finops_report & report);
std::string render_report_html(const finops_report & report);

std::string utc_day(int64_t ms);

}  // namespace tiergate::ledger
