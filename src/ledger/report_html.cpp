#include "ledger/budget_enforcer.h"
#include "ledger/report.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace tiergate::ledger {

namespace {

std::string escape_html(const std::string & s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string fmt(const char * f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), f, v);
    return buf;
}

const char * tier_color(tier t) {
    switch (t) {
        case tier::slm: return "#2a9d8f";
        case tier::mid: return "#e9c46a";
        case tier::frontier: return "#e76f51";
    }
    return "#888";
}

// Daily cost stacked by tier, with the all-frontier baseline as a line.
std::string daily_cost_chart(const finops_report & r) {
    std::map<std::string, std::map<tier, double>> cost;
    std::map<std::string, double> baseline;
    for (const auto & d : r.days) {
        cost[d.day][d.tier_id] += d.cost_usd;
        baseline[d.day] += d.counterfactual_cost_usd;
    }
    if (cost.empty()) {
        return "<p>No traffic in this period.</p>";
    }
    // Every day of the period gets a slot, with or without traffic.
    constexpr int64_t day_ms = 86'400'000;
    if (r.to_ms > r.from_ms && (r.to_ms - r.from_ms) / day_ms <= 400) {
        for (int64_t t = r.from_ms; t < r.to_ms; t += day_ms) {
            cost[utc_day(t)];
        }
        cost[utc_day(r.to_ms - 1)];
    }
    double max_v = 0;
    for (const auto & [day, per_tier] : cost) {
        double sum = 0;
        for (const auto & [t, v] : per_tier) {
            sum += v;
        }
        max_v = std::max({max_v, sum, baseline[day]});
    }
    if (max_v <= 0) {
        max_v = 1;
    }
    const int width = 720, height = 260, left = 60, bottom = 40, top = 10;
    const int plot_h = height - bottom - top;
    const double slot = static_cast<double>(width - left - 10) / static_cast<double>(cost.size());
    const double bar_w = std::max(2.0, slot * 0.6);
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
                      std::to_string(height) + "\" role=\"img\" aria-label=\"Daily cost by tier\">";
    for (int i = 0; i <= 4; ++i) {
        const double v = max_v * i / 4;
        const double y = top + plot_h - plot_h * i / 4.0;
        svg += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(width - 10) + "\" y1=\"" +
               fmt("%.1f", y) + "\" y2=\"" + fmt("%.1f", y) + "\" stroke=\"#ddd\"/>";
        svg += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + fmt("%.1f", y + 4) +
               "\" font-size=\"11\" text-anchor=\"end\">$" + fmt("%.2f", v) + "</text>";
    }
    size_t i = 0;
    for (const auto & [day, per_tier] : cost) {
        const double x = left + slot * static_cast<double>(i) + (slot - bar_w) / 2;
        double y = top + plot_h;
        for (tier t : {tier::slm, tier::mid, tier::frontier}) {
            auto it = per_tier.find(t);
            if (it == per_tier.end() || it->second <= 0) {
                continue;
            }
            const double h = plot_h * it->second / max_v;
            y -= h;
            svg += "<rect x=\"" + fmt("%.1f", x) + "\" y=\"" + fmt("%.1f", y) + "\" width=\"" + fmt("%.1f", bar_w) +
                   "\" height=\"" + fmt("%.1f", h) + "\" fill=\"" + tier_color(t) + "\"><title>" + day + " " +
                   std::string(to_string(t)) + ": $" + fmt("%.4f", it->second) + "</title></rect>";
        }
        if (baseline[day] > 0) {
            const double by = top + plot_h - plot_h * baseline[day] / max_v;
            svg += "<line x1=\"" + fmt("%.1f", x - 2) + "\" x2=\"" + fmt("%.1f", x + bar_w + 2) + "\" y1=\"" +
                   fmt("%.1f", by) + "\" y2=\"" + fmt("%.1f", by) +
                   "\" stroke=\"#264653\" stroke-width=\"2\" stroke-dasharray=\"6 3\"><title>" + day +
                   " all-frontier baseline: $" + fmt("%.4f", baseline[day]) + "</title></line>";
        }
        if (cost.size() <= 14 || i % (cost.size() / 7 + 1) == 0) {
            svg += "<text x=\"" + fmt("%.1f", x + bar_w / 2) + "\" y=\"" + std::to_string(height - bottom + 16) +
                   "\" font-size=\"11\" text-anchor=\"middle\">" + day.substr(5) + "</text>";
        }
        ++i;
    }
    svg += "</svg>";
    return svg;
}

// One horizontal bar split by tier share of requests.
std::string share_chart(const finops_report & r) {
    const int width = 720, height = 36;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
                      std::to_string(height) + "\" role=\"img\" aria-label=\"Share of requests by tier\">";
    double x = 0;
    for (const auto & t : r.tiers) {
        if (t.share <= 0) {
            continue;
        }
        const double w = width * t.share;
        svg += "<rect x=\"" + fmt("%.1f", x) + "\" y=\"0\" width=\"" + fmt("%.1f", w) + "\" height=\"" +
               std::to_string(height) + "\" fill=\"" + tier_color(t.tier_id) + "\"/>";
        if (w > 60) {
            svg += "<text x=\"" + fmt("%.1f", x + 6) + "\" y=\"23\" font-size=\"13\" fill=\"#fff\">" +
                   std::string(to_string(t.tier_id)) + " " + fmt("%.1f", t.share * 100) + "%</text>";
        }
        x += w;
    }
    svg += "</svg>";
    return svg;
}

}  // namespace

std::string render_report_html(const finops_report & r) {
    std::string h;
    h += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tiergate cost report</title><style>"
         "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:900px}"
         "table{border-collapse:collapse;margin:1em 0}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}"
         "td:first-child,th:first-child{text-align:left}.cards{display:flex;gap:1em}"
         ".card{border:1px solid #ddd;border-radius:6px;padding:0.8em 1.2em}.big{font-size:1.6em;font-weight:600}"
         ".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}</style></head><body>";
    h += "<h1>AI spend report</h1><p>" + escape_html(format_utc(r.from_ms)) + " to " + escape_html(format_utc(r.to_ms)) +
         " (UTC)</p>";
    h += "<div class=\"cards\">";
    h += "<div class=\"card\">Spent<div class=\"big\">$" + fmt("%.2f", r.cost_usd) + "</div></div>";
    h += "<div class=\"card\">If every request had gone to the frontier model<div class=\"big\">$" +
         fmt("%.2f", r.counterfactual_cost_usd) + "</div></div>";
    h += "<div class=\"card\">Saved<div class=\"big\">$" + fmt("%.2f", r.savings_usd) + " (" + fmt("%.1f", r.savings_pct) +
         "%)</div></div>";
    h += "<div class=\"card\">Requests<div class=\"big\">" + std::to_string(r.requests) + "</div></div>";
    h += "</div>";
    h += "<h2>Daily cost by tier</h2><div class=\"legend\">";
    for (tier t : {tier::slm, tier::mid, tier::frontier}) {
        h += "<span style=\"background:" + std::string(tier_color(t)) + "\"></span>" + std::string(to_string(t));
    }
    h += " &nbsp; dashed line: what the same requests would have cost on the frontier model</div>";
    h += daily_cost_chart(r);
    h += "<h2>Share of requests by tier</h2>" + share_chart(r);
    h += "<h2>Tiers</h2><table><tr><th>tier</th><th>requests</th><th>share</th><th>cost</th><th>frontier baseline</th>"
         "<th>latency p50</th><th>p95</th><th>first token p50</th><th>p95</th></tr>";
    for (const auto & t : r.tiers) {
        h += "<tr><td>" + std::string(to_string(t.tier_id)) + "</td><td>" + std::to_string(t.requests) + "</td><td>" +
             fmt("%.1f", t.share * 100) + "%</td><td>$" + fmt("%.4f", t.cost_usd) + "</td><td>$" +
             fmt("%.4f", t.counterfactual_cost_usd) + "</td><td>" + fmt("%.0f", t.latency_p50_ms) + " ms</td><td>" +
             fmt("%.0f", t.latency_p95_ms) + " ms</td><td>" + fmt("%.0f", t.ttft_p50_ms) + " ms</td><td>" +
             fmt("%.0f", t.ttft_p95_ms) + " ms</td></tr>";
    }
    h += "</table><h2>Models</h2><table><tr><th>model</th><th>tier</th><th>requests</th><th>input tokens</th>"
         "<th>output tokens</th><th>cost</th></tr>";
    for (const auto & m : r.models) {
        h += "<tr><td>" + escape_html(m.model) + "</td><td>" + std::string(to_string(m.tier_id)) + "</td><td>" +
             std::to_string(m.requests) + "</td><td>" + std::to_string(m.input_tokens) + "</td><td>" +
             std::to_string(m.output_tokens) + "</td><td>$" + fmt("%.4f", m.cost_usd) + "</td></tr>";
    }
    h += "</table><h2>Cost per day and model</h2><table><tr><th>day</th><th>tier</th><th>model</th><th>requests</th>"
         "<th>cost</th></tr>";
    for (const auto & d : r.days) {
        h += "<tr><td>" + d.day + "</td><td>" + std::string(to_string(d.tier_id)) + "</td><td>" + escape_html(d.model) +
             "</td><td>" + std::to_string(d.requests) + "</td><td>$" + fmt("%.4f", d.cost_usd) + "</td></tr>";
    }
    if (!r.versions.empty()) {
        h += "</table><h2>By local model version</h2><table><tr><th>model</th><th>version</th><th>from</th>"
             "<th>requests</th><th>SLM share</th><th>cost</th><th>savings</th></tr>";
        for (const auto & p : r.versions) {
            h += "<tr><td>" + escape_html(p.model) + "</td><td>" + escape_html(p.version) + "</td><td>" +
                 escape_html(format_utc(p.from_ms)) + "</td><td>" + std::to_string(p.requests) + "</td><td>" +
                 fmt("%.1f", p.slm_share * 100) + "%</td><td>$" + fmt("%.4f", p.cost_usd) + "</td><td>$" +
                 fmt("%.4f", p.savings_usd) + "</td></tr>";
        }
    }
    if (!r.agents.empty()) {
        h += "</table><h2>By specialist agent</h2><table><tr><th>agent</th><th>runs</th><th>steps</th>"
             "<th>failed</th><th>cost</th><th>p50 ms</th><th>p95 ms</th></tr>";
        for (const auto & a : r.agents) {
            h += "<tr><td>" + escape_html(a.agent) + "</td><td>" + std::to_string(a.runs) + "</td><td>" +
                 std::to_string(a.steps) + "</td><td>" + std::to_string(a.failed) + "</td><td>$" +
                 fmt("%.4f", a.cost_usd) + "</td><td>" + fmt("%.1f", a.latency_p50_ms) + "</td><td>" +
                 fmt("%.1f", a.latency_p95_ms) + "</td></tr>";
        }
    }
    h += "</table></body></html>\n";
    return h;
}

}  // namespace tiergate::ledger
