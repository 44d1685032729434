#include "plan/cost_plan.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace tiergate::plan {

namespace {

bool finite_non_negative(double v) { return std::isfinite(v) && v >= 0.0; }

uint64_t gpus_for(double requests_per_day, double share, double gpu_seconds_per_request, const cost_price_table & p) {
    if (share <= 0.0 || requests_per_day <= 0.0) {
        return 0;
    }
    const double busy_seconds_per_day = requests_per_day * share * gpu_seconds_per_request;
    const double capacity_per_gpu = 86400.0 * p.gpu_utilization;
    return std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(busy_seconds_per_day / capacity_per_gpu)));
}

// Smallest daily volume at which moving `share` of the traffic off the APIs
// pays for the GPUs it needs. saved_per_request: API dollars no longer spent
// per request of the total traffic.
std::optional<double> break_even(double saved_per_request, double share, double gpu_seconds_per_request,
                                 const cost_price_table & p) {
    if (share <= 0.0 || saved_per_request <= 0.0) {
        return std::nullopt;
    }
    const double gpu_month = p.gpu_usd_per_hour * p.hours_per_month;
    const double capacity_per_gpu = 86400.0 * p.gpu_utilization;  // busy seconds per GPU-day
    const double requests_per_gpu = gpu_seconds_per_request > 0 ? capacity_per_gpu / (share * gpu_seconds_per_request)
                                                                : INFINITY;
    // With k GPUs the plan serves up to k * requests_per_gpu requests a day and
    // costs k * gpu_month; it breaks even at k * gpu_month / (days * saved).
    if (requests_per_gpu * saved_per_request * p.days_per_month < gpu_month) {
        return std::nullopt;  // even a fully busy GPU costs more than it saves
    }
    for (uint64_t k = 1; k <= 1'000'000; ++k) {
        const double x = static_cast<double>(k) * gpu_month / (p.days_per_month * saved_per_request);
        if (x <= static_cast<double>(k) * requests_per_gpu) {
            return x;
        }
    }
    return std::nullopt;
}

}  // namespace

result<cost_plan> plan_cost(const cost_plan_options & o, const cost_price_table & p) {
    if (!finite_non_negative(o.requests_per_day)) {
        return error::invalid("--requests-per-day must be a non-negative number", "requests-per-day");
    }
    if (!finite_non_negative(o.input_tokens)) {
        return error::invalid("--input-tokens must be a non-negative number", "input-tokens");
    }
    if (!finite_non_negative(o.output_tokens)) {
        return error::invalid("--output-tokens must be a non-negative number", "output-tokens");
    }
    if (!finite_non_negative(o.slm_share) || o.slm_share > 1.0) {
        return error::invalid("--slm-share must be between 0 and 1", "slm-share");
    }
    if (!finite_non_negative(o.mid_share) || o.slm_share + o.mid_share > 1.0 + 1e-9) {
        return error::invalid("--mid-share must be between 0 and 1 - slm-share", "mid-share");
    }
    if (!finite_non_negative(p.gpu_usd_per_hour)) {
        return error::invalid("--gpu-usd-per-hour must be a non-negative number", "gpu-usd-per-hour");
    }
    if (!(p.gpu_prefill_tokens_per_s > 0) || !(p.gpu_decode_tokens_per_s > 0) || !(p.gpu_utilization > 0) ||
        p.gpu_utilization > 1 || !(p.hours_per_month > 0) || !(p.days_per_month > 0)) {
        return error::invalid("GPU throughput, utilization and month length must be positive", "prices");
    }
    cost_plan c;
    c.options = o;
    c.prices = p;
    c.frontier_usd_per_request =
        (o.input_tokens * p.frontier.input_usd_per_mtok + o.output_tokens * p.frontier.output_usd_per_mtok) / 1e6;
    c.mid_usd_per_request = (o.input_tokens * p.mid.input_usd_per_mtok + o.output_tokens * p.mid.output_usd_per_mtok) / 1e6;
    c.gpu_seconds_per_request = o.input_tokens / p.gpu_prefill_tokens_per_s + o.output_tokens / p.gpu_decode_tokens_per_s;
    const double gpu_month = p.gpu_usd_per_hour * p.hours_per_month;
    const double monthly_requests = o.requests_per_day * p.days_per_month;
    const double frontier_share = std::max(0.0, 1.0 - o.slm_share - o.mid_share);

    c.all_frontier_monthly_usd = monthly_requests * c.frontier_usd_per_request;
    c.hybrid_gpus = gpus_for(o.requests_per_day, o.slm_share, c.gpu_seconds_per_request, p);
    c.hybrid_api_monthly_usd =
        monthly_requests * (frontier_share * c.frontier_usd_per_request + o.mid_share * c.mid_usd_per_request);
    c.hybrid_gpu_monthly_usd = static_cast<double>(c.hybrid_gpus) * gpu_month;
    c.hybrid_monthly_usd = c.hybrid_api_monthly_usd + c.hybrid_gpu_monthly_usd;
    c.self_hosted_gpus = gpus_for(o.requests_per_day, 1.0, c.gpu_seconds_per_request, p);
    c.self_hosted_monthly_usd = static_cast<double>(c.self_hosted_gpus) * gpu_month;
    c.hybrid_savings_usd = c.all_frontier_monthly_usd - c.hybrid_monthly_usd;
    c.hybrid_savings_pct = c.all_frontier_monthly_usd > 0 ? 100.0 * c.hybrid_savings_usd / c.all_frontier_monthly_usd : 0.0;

    const double hybrid_saved_per_request =
        o.slm_share * c.frontier_usd_per_request + o.mid_share * (c.frontier_usd_per_request - c.mid_usd_per_request);
    // The mid tier saves without GPUs; the GPUs only have to pay for themselves
    // against the SLM share's frontier cost plus that mid-tier saving.
    c.hybrid_break_even_requests_per_day = break_even(hybrid_saved_per_request, o.slm_share, c.gpu_seconds_per_request, p);
    if (o.slm_share <= 0.0) {
        c.hybrid_break_even_requests_per_day.reset();
    }
    c.self_hosted_break_even_requests_per_day = break_even(c.frontier_usd_per_request, 1.0, c.gpu_seconds_per_request, p);
    return c;
}

std::string render_cost_plan_text(const cost_plan & c) {
    std::string out;
    char line[320];
    const auto & o = c.options;
    const auto & p = c.prices;
    std::snprintf(line, sizeof(line), "workload: %.0f requests/day, %.0f input + %.0f output tokens each; SLM share %.0f%%, mid share %.0f%%\n",
                  o.requests_per_day, o.input_tokens, o.output_tokens, o.slm_share * 100, o.mid_share * 100);
    out += line;
    std::snprintf(line, sizeof(line), "%-34s %14s\n", "monthly cost", "USD");
    out += line;
    std::snprintf(line, sizeof(line), "  %-32s %14.2f\n", "all frontier API", c.all_frontier_monthly_usd);
    out += line;
    std::snprintf(line, sizeof(line), "  %-32s %14.2f  (APIs %.2f + %llu GPU %.2f)\n", "hybrid mix", c.hybrid_monthly_usd,
                  c.hybrid_api_monthly_usd, static_cast<unsigned long long>(c.hybrid_gpus), c.hybrid_gpu_monthly_usd);
    out += line;
    std::snprintf(line, sizeof(line), "  %-32s %14.2f  (%llu GPU)\n", "all self-hosted", c.self_hosted_monthly_usd,
                  static_cast<unsigned long long>(c.self_hosted_gpus));
    out += line;
    std::snprintf(line, sizeof(line), "hybrid saves %.2f USD/month (%.1f%%) against all frontier\n", c.hybrid_savings_usd,
                  c.hybrid_savings_pct);
    out += line;
    auto be = [&](const char * what, const std::optional<double> & v) {
        if (v) {
            std::snprintf(line, sizeof(line), "break-even (%s): %.0f requests/day\n", what, *v);
        } else {
            std::snprintf(line, sizeof(line), "break-even (%s): never at these prices\n", what);
        }
        out += line;
    };
    be("hybrid vs all frontier", c.hybrid_break_even_requests_per_day);
    be("self-hosted vs all frontier", c.self_hosted_break_even_requests_per_day);
    std::snprintf(line, sizeof(line),
                  "prices: frontier %.2f/%.2f USD per Mtok in/out, mid %.2f/%.2f, GPU %.2f USD/h, "
                  "%.0f prefill + %.0f decode tok/s per GPU at %.0f%% utilization, %.0f h and %.1f days a month\n",
                  p.frontier.input_usd_per_mtok, p.frontier.output_usd_per_mtok, p.mid.input_usd_per_mtok,
                  p.mid.output_usd_per_mtok, p.gpu_usd_per_hour, p.gpu_prefill_tokens_per_s, p.gpu_decode_tokens_per_s,
                  p.gpu_utilization * 100, p.hours_per_month, p.days_per_month);
    out += line;
    return out;
}

std::string render_cost_plan_json(const cost_plan & c) {
    const auto & p = c.prices;
    auto opt = [](const std::optional<double> & v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    nlohmann::json j;
    j["workload"] = {{"requests_per_day", c.options.requests_per_day}, {"input_tokens", c.options.input_tokens},
                     {"output_tokens", c.options.output_tokens}, {"slm_share", c.options.slm_share},
                     {"mid_share", c.options.mid_share}};
    j["monthly_usd"] = {{"all_frontier", c.all_frontier_monthly_usd}, {"hybrid", c.hybrid_monthly_usd},
                        {"hybrid_api", c.hybrid_api_monthly_usd}, {"hybrid_gpu", c.hybrid_gpu_monthly_usd},
                        {"self_hosted", c.self_hosted_monthly_usd}};
    j["gpus"] = {{"hybrid", c.hybrid_gpus}, {"self_hosted", c.self_hosted_gpus}};
    j["savings"] = {{"usd", c.hybrid_savings_usd}, {"percent", c.hybrid_savings_pct}};
    j["break_even_requests_per_day"] = {{"hybrid", opt(c.hybrid_break_even_requests_per_day)},
                                        {"self_hosted", opt(c.self_hosted_break_even_requests_per_day)}};
    j["prices"] = {{"frontier", {{"input_usd_per_mtok", p.frontier.input_usd_per_mtok},
                                 {"output_usd_per_mtok", p.frontier.output_usd_per_mtok}}},
                   {"mid", {{"input_usd_per_mtok", p.mid.input_usd_per_mtok}, {"output_usd_per_mtok", p.mid.output_usd_per_mtok}}},
                   {"gpu_usd_per_hour", p.gpu_usd_per_hour},
                   {"gpu_prefill_tokens_per_s", p.gpu_prefill_tokens_per_s},
                   {"gpu_decode_tokens_per_s", p.gpu_decode_tokens_per_s},
                   {"gpu_utilization", p.gpu_utilization},
                   {"hours_per_month", p.hours_per_month},
                   {"days_per_month", p.days_per_month}};
    return j.dump(2);
}

}  // namespace tiergate::plan
