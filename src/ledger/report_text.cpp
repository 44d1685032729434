#include "ledger/budget_enforcer.h"
#include "ledger/report.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

namespace tiergate::ledger {

std::string render_report_text(const finops_report & r) {
    std::string out;
    char line[320];
    out += "tiergate report " + format_utc(r.from_ms) + " .. " + format_utc(r.to_ms) + "\n";
    std::snprintf(line, sizeof(line), "requests %lld (escalated %lld, errors %lld)\n", static_cast<long long>(r.requests),
                  static_cast<long long>(r.escalated), static_cast<long long>(r.errors));
    out += line;
    std::snprintf(line, sizeof(line),
                  "cost %.4f USD; all-frontier baseline %.4f USD; savings %.4f USD (%.1f%%)\n\n", r.cost_usd,
                  r.counterfactual_cost_usd, r.savings_usd, r.savings_pct);
    out += line;
    std::snprintf(line, sizeof(line), "%-9s %9s %7s %12s %12s %10s %10s %10s %10s\n", "tier", "requests", "share",
                  "cost USD", "baseline", "p50 ms", "p95 ms", "ttft p50", "ttft p95");
    out += line;
    for (const auto & t : r.tiers) {
        std::snprintf(line, sizeof(line), "%-9s %9lld %6.1f%% %12.4f %12.4f %10.1f %10.1f %10.1f %10.1f\n",
                      std::string(to_string(t.tier_id)).c_str(), static_cast<long long>(t.requests), t.share * 100,
                      t.cost_usd, t.counterfactual_cost_usd, t.latency_p50_ms, t.latency_p95_ms, t.ttft_p50_ms,
                      t.ttft_p95_ms);
        out += line;
    }
    out += "\n";
    std::snprintf(line, sizeof(line), "%-9s %-32s %9s %12s %12s %12s\n", "tier", "model", "requests", "input tok",
                  "output tok", "cost USD");
    out += line;
    for (const auto & m : r.models) {
        std::snprintf(line, sizeof(line), "%-9s %-32s %9lld %12lld %12lld %12.4f\n",
                      std::string(to_string(m.tier_id)).c_str(), m.model.c_str(), static_cast<long long>(m.requests),
                      static_cast<long long>(m.input_tokens), static_cast<long long>(m.output_tokens), m.cost_usd);
        out += line;
    }
    out += "\n";
    std::snprintf(line, sizeof(line), "%-10s %-9s %-32s %9s %12s\n", "day", "tier", "model", "requests", "cost USD");
    out += line;
    for (const auto & d : r.days) {
        std::snprintf(line, sizeof(line), "%-10s %-9s %-32s %9lld %12.4f\n", d.day.c_str(),
                      std::string(to_string(d.tier_id)).c_str(), d.model.c_str(), static_cast<long long>(d.requests),
                      d.cost_usd);
        out += line;
    }
    if (!r.versions.empty()) {
        out += "\nby local model version (from the first request each version served):\n";
        std::snprintf(line, sizeof(line), "%-24s %-8s %-20s %9s %9s %12s %12s\n", "model", "version", "from", "requests",
                      "slm share", "cost USD", "savings USD");
        out += line;
        for (const auto & p : r.versions) {
            std::snprintf(line, sizeof(line), "%-24s %-8s %-20s %9lld %8.1f%% %12.4f %12.4f\n", p.model.c_str(),
                          p.version.c_str(), format_utc(p.from_ms).c_str(), static_cast<long long>(p.requests),
                          p.slm_share * 100, p.cost_usd, p.savings_usd);
            out += line;
        }
    }
    if (!r.agents.empty()) {
        out += "\nby specialist agent (steps of agent runs):\n";
        std::snprintf(line, sizeof(line), "%-24s %7s %7s %7s %12s %10s %10s\n", "agent", "runs", "steps", "failed",
                      "cost USD", "p50 ms", "p95 ms");
        out += line;
        for (const auto & a : r.agents) {
            std::snprintf(line, sizeof(line), "%-24s %7lld %7lld %7lld %12.4f %10.1f %10.1f\n", a.agent.c_str(),
                          static_cast<long long>(a.runs), static_cast<long long>(a.steps),
                          static_cast<long long>(a.failed), a.cost_usd, a.latency_p50_ms, a.latency_p95_ms);
            out += line;
        }
    }
    return out;
}

std::string render_report_json(const finops_report & r) {
    nlohmann::json j;
    j["from"] = format_utc(r.from_ms);
    j["to"] = format_utc(r.to_ms);
    j["requests"] = r.requests;
    j["escalated"] = r.escalated;
    j["errors"] = r.errors;
    j["cost_usd"] = r.cost_usd;
    j["counterfactual_cost_usd"] = r.counterfactual_cost_usd;
    j["savings_usd"] = r.savings_usd;
    j["savings_pct"] = r.savings_pct;
    j["tiers"] = nlohmann::json::array();
    for (const auto & t : r.tiers) {
        j["tiers"].push_back({{"tier", to_string(t.tier_id)},
                              {"requests", t.requests},
                              {"share", t.share},
                              {"input_tokens", t.input_tokens},
                              {"output_tokens", t.output_tokens},
                              {"cost_usd", t.cost_usd},
                              {"counterfactual_cost_usd", t.counterfactual_cost_usd},
                              {"latency_p50_ms", t.latency_p50_ms},
                              {"latency_p95_ms", t.latency_p95_ms},
                              {"ttft_p50_ms", t.ttft_p50_ms},
                              {"ttft_p95_ms", t.ttft_p95_ms}});
    }
    j["models"] = nlohmann::json::array();
    for (const auto & m : r.models) {
        j["models"].push_back({{"tier", to_string(m.tier_id)},
                               {"model", m.model},
                               {"requests", m.requests},
                               {"input_tokens", m.input_tokens},
                               {"output_tokens", m.output_tokens},
                               {"cost_usd", m.cost_usd}});
    }
    j["days"] = nlohmann::json::array();
    for (const auto & d : r.days) {
        j["days"].push_back({{"day", d.day},
                             {"tier", to_string(d.tier_id)},
                             {"model", d.model},
                             {"requests", d.requests},
                             {"cost_usd", d.cost_usd},
                             {"counterfactual_cost_usd", d.counterfactual_cost_usd}});
    }
    j["versions"] = nlohmann::json::array();
    for (const auto & p : r.versions) {
        j["versions"].push_back({{"model", p.model},
                                 {"version", p.version},
                                 {"from", format_utc(p.from_ms)},
                                 {"to", format_utc(p.to_ms)},
                                 {"requests", p.requests},
                                 {"slm_requests", p.slm_requests},
                                 {"slm_share", p.slm_share},
                                 {"cost_usd", p.cost_usd},
                                 {"counterfactual_cost_usd", p.counterfactual_cost_usd},
                                 {"savings_usd", p.savings_usd}});
    }
    j["agents"] = nlohmann::json::array();
    for (const auto & a : r.agents) {
        j["agents"].push_back({{"agent", a.agent},
                               {"runs", a.runs},
                               {"steps", a.steps},
                               {"failed", a.failed},
                               {"input_tokens", a.input_tokens},
                               {"output_tokens", a.output_tokens},
                               {"cost_usd", a.cost_usd},
                               {"latency_p50_ms", a.latency_p50_ms},
                               {"latency_p95_ms", a.latency_p95_ms}});
    }
    return j.dump(2);
}

}  // namespace tiergate::ledger
