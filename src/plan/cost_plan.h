#pragma once
// Monthly cost of serving a workload three ways: every request on a frontier
// API, the hybrid mix (SLM share self-hosted, optional mid-tier share, rest
// frontier), and everything self-hosted; plus the break-even volumes.
#include "core/error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace tiergate::plan {

struct token_price {
    double input_usd_per_mtok = 0.0;
    double output_usd_per_mtok = 0.0;
};

// Filled by the config layer; the defaults are printed with every plan.
struct cost_price_table {
    token_price frontier{2.50, 10.00};  // frontier API list price per million tokens
    token_price mid{0.15, 0.60};        // mid-tier API list price per million tokens
    double gpu_usd_per_hour = 1.20;     // one inference GPU (cloud on-demand, L4/A10 class)
    double gpu_prefill_tokens_per_s = 4000.0;  // prompt tokens one GPU processes per second (batched, 8B Q4)
    double gpu_decode_tokens_per_s = 400.0;    // output tokens one GPU generates per second (batched, 8B Q4)
    double gpu_utilization = 0.6;              // share of each GPU-hour that does useful work
    double hours_per_month = 730.0;
    double days_per_month = 30.4;
};

struct cost_plan_options {
    double requests_per_day = 0;
    double input_tokens = 0;   // per request
    double output_tokens = 0;  // per request
    double slm_share = 0;      // 0..1, served by the self-hosted SLM
    double mid_share = 0;      // 0..1, served by the mid tier; the rest goes to the frontier
};

struct cost_plan {
    cost_plan_options options;
    cost_price_table prices;
    double frontier_usd_per_request = 0;
    double mid_usd_per_request = 0;
    double gpu_seconds_per_request = 0;
    double all_frontier_monthly_usd = 0;
    double hybrid_monthly_usd = 0;
    double hybrid_api_monthly_usd = 0;
    double hybrid_gpu_monthly_usd = 0;
    uint64_t hybrid_gpus = 0;
    double self_hosted_monthly_usd = 0;
    uint64_t self_hosted_gpus = 0;
    double hybrid_savings_usd = 0;
    double hybrid_savings_pct = 0;
    std::optional<double> hybrid_break_even_requests_per_day;       // nullopt: never cheaper
    std::optional<double> self_hosted_break_even_requests_per_day;  // nullopt: never cheaper
};

result<cost_plan> plan_cost(const cost_plan_options & options, const cost_price_table & prices = {});
std::string render_cost_plan_text(const cost_plan & plan);
std::string render_cost_plan_json(const cost_plan & plan);

}  // namespace tiergate::plan
