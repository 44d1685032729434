#include "ledger/report.h"

#include "core/percentile.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

namespace tiergate::ledger {

result<int64_t> parse_period(const std::string & text) {
    if (text.size() < 2) {
        return error::invalid("a period looks like 7d, 24h, 90m, 2w or 30s (got '" + text + "')", "since");
    }
    const char unit = text.back();
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
    if (ec != std::errc{} || ptr != text.data() + text.size() - 1 || n <= 0) {
        return error::invalid("a period is a positive whole number and a unit, like 7d (got '" + text + "')", "since");
    }
    int64_t unit_ms = 0;
    switch (unit) {
        case 's': unit_ms = 1000; break;
        case 'm': unit_ms = 60'000; break;
        case 'h': unit_ms = 3'600'000; break;
        case 'd': unit_ms = 86'400'000; break;
        case 'w': unit_ms = 7 * 86'400'000LL; break;
        default: return error::invalid("unknown period unit '" + std::string(1, unit) + "' (use s, m, h, d or w)", "since");
    }
    if (n > 100LL * 365 * 86'400'000 / unit_ms) {
        return error::invalid("the period '" + text + "' is longer than 100 years", "since");
    }
    return n * unit_ms;
}

std::string utc_day(int64_t ms) {
    using namespace std::chrono;
    const sys_days d = floor<days>(sys_time<milliseconds>(milliseconds(ms)));
    const year_month_day ymd(d);
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

namespace {

// Accumulates records one at a time; keeps sums per tier, model and day and
// the latency samples per tier (for the percentiles).
class report_builder {
  public:
    report_builder(int64_t from_ms, int64_t to_ms) {
        rep_.from_ms = from_ms;
        rep_.to_ms = to_ms;
        for (tier t : all_tiers) {
            tiers_[t].tier_id = t;
        }
    }

    void add(const usage_record & r) {
        if (r.time_ms < rep_.from_ms || r.time_ms >= rep_.to_ms) {
            return;
        }
        ++rep_.requests;
        rep_.escalated += r.escalated ? 1 : 0;
        rep_.errors += r.status.ok() ? 0 : 1;
        rep_.cost_usd += r.cost_usd;
        rep_.counterfactual_cost_usd += r.counterfactual_cost_usd;
        auto & t = tiers_[r.final_tier];
        ++t.requests;
        t.input_tokens += r.input_tokens;
        t.output_tokens += r.output_tokens;
        t.cost_usd += r.cost_usd;
        t.counterfactual_cost_usd += r.counterfactual_cost_usd;
        latency_[r.final_tier].push_back(r.latency_ms);
        if (r.ttft_ms > 0) {
            ttft_[r.final_tier].push_back(r.ttft_ms);
        }
        auto & m = models_[{r.final_tier, r.model}];
        m.tier_id = r.final_tier;
        m.model = r.model;
        ++m.requests;
        m.input_tokens += r.input_tokens;
        m.output_tokens += r.output_tokens;
        m.cost_usd += r.cost_usd;
        const int64_t day_start = r.time_ms - (((r.time_ms % day_ms) + day_ms) % day_ms);
        auto & d = days_[{day_start, r.final_tier, r.model}];
        if (d.day.empty()) {
            d.day = utc_day(day_start);
        }
        d.tier_id = r.final_tier;
        d.model = r.model;
        ++d.requests;
        d.cost_usd += r.cost_usd;
        d.counterfactual_cost_usd += r.counterfactual_cost_usd;
        add_to_period(r);
        if (!r.agent.empty()) {
            auto & a = agents_[r.agent];
            a.agent = r.agent;
            ++a.steps;
            a.failed += r.status.ok() ? 0 : 1;
            a.input_tokens += r.input_tokens;
            a.output_tokens += r.output_tokens;
            a.cost_usd += r.cost_usd;
            agent_latency_[r.agent].push_back(r.latency_ms);
            if (agent_traces_[r.agent].insert(r.trace_id).second) {
                ++a.runs;
            }
        }
    }

    // Requests arrive in time order: a version of a local model not seen
    // before starts a new period.
    void add_to_period(const usage_record & r) {
        if (!r.model_version.empty() && seen_versions_.insert({r.model, r.model_version}).second) {
            version_period p;
            p.model = r.model;
            p.version = r.model_version;
            p.from_ms = r.time_ms;
            rep_.versions.push_back(std::move(p));
        }
        // before the first version seen: counted in the first period
        auto & p = rep_.versions.empty() ? before_ : rep_.versions.back();
        p.from_ms = p.requests == 0 && rep_.versions.empty() ? r.time_ms : p.from_ms;
        p.to_ms = std::max(p.to_ms, r.time_ms);
        ++p.requests;
        p.slm_requests += r.final_tier == tier::slm ? 1 : 0;
        p.cost_usd += r.cost_usd;
        p.counterfactual_cost_usd += r.counterfactual_cost_usd;
    }

    finops_report finish() {
        rep_.savings_usd = rep_.counterfactual_cost_usd - rep_.cost_usd;
        rep_.savings_pct =
            rep_.counterfactual_cost_usd > 0 ? 100.0 * rep_.savings_usd / rep_.counterfactual_cost_usd : 0.0;
        for (tier t : all_tiers) {
            auto s = tiers_[t];
            s.share = rep_.requests > 0 ? static_cast<double>(s.requests) / static_cast<double>(rep_.requests) : 0.0;
            s.latency_p50_ms = percentile(latency_[t], 50);
            s.latency_p95_ms = percentile(latency_[t], 95);
            s.ttft_p50_ms = percentile(ttft_[t], 50);
            s.ttft_p95_ms = percentile(ttft_[t], 95);
            rep_.tiers.push_back(s);
        }
        for (auto & [k, m] : models_) {
            rep_.models.push_back(m);
        }
        std::stable_sort(rep_.models.begin(), rep_.models.end(),
                         [](const auto & a, const auto & b) { return a.cost_usd > b.cost_usd; });
        for (auto & [k, d] : days_) {
            rep_.days.push_back(d);
        }
        if (!rep_.versions.empty()) {
            auto & first = rep_.versions.front();
            if (before_.requests > 0) {
                first.from_ms = before_.from_ms;
                first.requests += before_.requests;
                first.slm_requests += before_.slm_requests;
                first.cost_usd += before_.cost_usd;
                first.counterfactual_cost_usd += before_.counterfactual_cost_usd;
            }
        }
        for (auto & p : rep_.versions) {
            p.slm_share = p.requests > 0 ? static_cast<double>(p.slm_requests) / static_cast<double>(p.requests) : 0.0;
            p.savings_usd = p.counterfactual_cost_usd - p.cost_usd;
        }
        for (auto & [name, a] : agents_) {
            a.latency_p50_ms = percentile(agent_latency_[name], 50);
            a.latency_p95_ms = percentile(agent_latency_[name], 95);
            rep_.agents.push_back(a);
        }
        std::stable_sort(rep_.agents.begin(), rep_.agents.end(),
                         [](const auto & a, const auto & b) { return a.cost_usd > b.cost_usd; });
        return std::move(rep_);
    }

  private:
    static constexpr tier all_tiers[] = {tier::slm, tier::mid, tier::frontier};
    static constexpr int64_t day_ms = 86'400'000;
    finops_report rep_;
    std::map<tier, std::vector<double>> latency_;
    std::map<tier, std::vector<double>> ttft_;
    std::map<tier, tier_summary> tiers_;
    std::map<std::pair<tier, std::string>, model_summary> models_;
    std::map<std::tuple<int64_t, tier, std::string>, day_cost> days_;
    std::set<std::pair<std::string, std::string>> seen_versions_;  // (model, version)
    version_period before_;
    std::map<std::string, agent_summary> agents_;
    std::map<std::string, std::vector<double>> agent_latency_;
    std::map<std::string, std::set<std::string>> agent_traces_;  // requests before any local model reported a version
};

}  // namespace

finops_report build_report(const std::vector<usage_record> & records, int64_t from_ms, int64_t to_ms) {
    report_builder builder(from_ms, to_ms);
    for (const auto & r : records) {
        builder.add(r);
    }
    return builder.finish();
}

result<finops_report> build_report(store & source, int64_t from_ms, int64_t to_ms) {
    if (to_ms <= from_ms) {
        return error::invalid("the report period is empty", "since");
    }
    report_builder builder(from_ms, to_ms);
    auto scanned = source.scan(from_ms, to_ms, [&builder](const usage_record & r) { builder.add(r); });
    if (!scanned) {
        return scanned.err();
    }
    return builder.finish();
}

}  // namespace tiergate::ledger
