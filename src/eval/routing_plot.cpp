#include "eval/routing_plot.h"

#include <algorithm>
#include <cstdio>

namespace tiergate::eval {
namespace {

std::string escape_xml(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string short_name(const std::string & model) {
    const size_t slash = model.rfind('/');
    return slash == std::string::npos ? model : model.substr(slash + 1);
}

std::string number(double v, const char * format = "%.2f") {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), format, v);
    return buffer;
}

}  // namespace

std::string render_routing_svg(const routing_report & report, std::string_view title, std::string_view curve_name,
                               std::span<const plot_curve> others) {
    static constexpr const char * colors[] = {"#2ca02c", "#9467bd", "#8c564b"};
    constexpr double width = 820;
    constexpr double height = 520;
    constexpr double left = 70;
    constexpr double right = 230;
    constexpr double top = 40;
    constexpr double bottom = 60;
    const double plot_w = width - left - right;
    const double plot_h = height - top - bottom;

    double max_cost = report.oracle.cost;
    double min_q = report.oracle.quality;
    double max_q = report.oracle.quality;
    for (const auto & s : report.single_models) {
        max_cost = std::max(max_cost, s.cost);
        min_q = std::min(min_q, s.quality);
        max_q = std::max(max_q, s.quality);
    }
    for (const auto & p : report.curve) {
        max_cost = std::max(max_cost, p.cost);
        min_q = std::min(min_q, p.quality);
        max_q = std::max(max_q, p.quality);
    }
    for (const plot_curve & c : others) {
        for (const auto & p : c.points) {
            max_cost = std::max(max_cost, p.cost);
            min_q = std::min(min_q, p.quality);
            max_q = std::max(max_q, p.quality);
        }
    }
    max_cost = max_cost > 0 ? max_cost * 1.05 : 1.0;
    const double q_low = std::max(0.0, min_q - 0.03);
    const double q_high = std::min(1.0, max_q + 0.03) > q_low ? std::min(1.0, max_q + 0.03) : q_low + 0.1;
    auto px = [&](double cost) { return left + cost / max_cost * plot_w; };
    auto py = [&](double q) { return top + (1.0 - (q - q_low) / (q_high - q_low)) * plot_h; };

    std::string svg;
    svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width, "%.0f") + "\" height=\"" +
           number(height, "%.0f") + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    svg += "<text x=\"" + number(left) + "\" y=\"24\" font-size=\"15\">" + escape_xml(title) + "</text>\n";
    // Axes, grid and ticks.
    for (int i = 0; i <= 5; ++i) {
        const double cost = max_cost * i / 5.0;
        const double q = q_low + (q_high - q_low) * i / 5.0;
        svg += "<line x1=\"" + number(px(cost)) + "\" y1=\"" + number(top) + "\" x2=\"" + number(px(cost)) +
               "\" y2=\"" + number(top + plot_h) + "\" stroke=\"#eee\"/>\n";
        svg += "<line x1=\"" + number(left) + "\" y1=\"" + number(py(q)) + "\" x2=\"" + number(left + plot_w) +
               "\" y2=\"" + number(py(q)) + "\" stroke=\"#eee\"/>\n";
        svg += "<text x=\"" + number(px(cost)) + "\" y=\"" + number(top + plot_h + 18) +
               "\" text-anchor=\"middle\">" + number(cost * 1000.0, "%.3g") + "</text>\n";
        svg += "<text x=\"" + number(left - 8) + "\" y=\"" + number(py(q) + 4) + "\" text-anchor=\"end\">" +
               number(q, "%.3f") + "</text>\n";
    }
    svg += "<rect x=\"" + number(left) + "\" y=\"" + number(top) + "\" width=\"" + number(plot_w) + "\" height=\"" +
           number(plot_h) + "\" fill=\"none\" stroke=\"#333\"/>\n";
    svg += "<text x=\"" + number(left + plot_w / 2) + "\" y=\"" + number(height - 18) +
           "\" text-anchor=\"middle\">mean cost per call (USD per 1,000 calls)</text>\n";
    svg += "<text transform=\"translate(18," + number(top + plot_h / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">mean quality</text>\n";

    // Random router: a random mix of the cheapest and the most expensive model.
    const auto & weak = report.single_models[report.weak];
    const auto & strong = report.single_models[report.strong];
    svg += "<line x1=\"" + number(px(weak.cost)) + "\" y1=\"" + number(py(weak.quality)) + "\" x2=\"" +
           number(px(strong.cost)) + "\" y2=\"" + number(py(strong.quality)) +
           "\" stroke=\"#888\" stroke-dasharray=\"6,4\"/>\n";

    // Curves, by cost.
    auto polyline = [&](std::vector<curve_point> curve, const char * color) {
        std::sort(curve.begin(), curve.end(), [](const curve_point & a, const curve_point & b) {
            return a.cost < b.cost || (a.cost == b.cost && a.quality < b.quality);
        });
        svg += std::string("<polyline fill=\"none\" stroke=\"") + color + "\" stroke-width=\"2\" points=\"";
        for (const curve_point & p : curve) {
            svg += number(px(p.cost)) + "," + number(py(p.quality)) + " ";
        }
        svg += "\"/>\n";
    };
    for (size_t c = 0; c < others.size(); ++c) {
        polyline(others[c].points, colors[c % 3]);
    }
    polyline(report.curve, "#1f77b4");

    // Single models and the oracle.
    for (const auto & s : report.single_models) {
        svg += "<circle cx=\"" + number(px(s.cost)) + "\" cy=\"" + number(py(s.quality)) +
               "\" r=\"4\" fill=\"#ff7f0e\"/>\n";
        svg += "<text x=\"" + number(px(s.cost) + 6) + "\" y=\"" + number(py(s.quality) - 6) +
               "\" font-size=\"10\">" + escape_xml(short_name(s.model)) + "</text>\n";
    }
    svg += "<circle cx=\"" + number(px(report.oracle.cost)) + "\" cy=\"" + number(py(report.oracle.quality)) +
           "\" r=\"5\" fill=\"#d62728\"/>\n";
    svg += "<text x=\"" + number(px(report.oracle.cost) + 7) + "\" y=\"" + number(py(report.oracle.quality) + 4) +
           "\" font-size=\"10\">oracle</text>\n";

    // Legend.
    const double lx = left + plot_w + 20;
    svg += "<line x1=\"" + number(lx) + "\" y1=\"" + number(top + 10) + "\" x2=\"" + number(lx + 24) + "\" y2=\"" +
           number(top + 10) + "\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n";
    svg += "<text x=\"" + number(lx + 30) + "\" y=\"" + number(top + 14) + "\">" + escape_xml(curve_name) + "</text>\n";
    svg += "<line x1=\"" + number(lx) + "\" y1=\"" + number(top + 30) + "\" x2=\"" + number(lx + 24) + "\" y2=\"" +
           number(top + 30) + "\" stroke=\"#888\" stroke-dasharray=\"6,4\"/>\n";
    svg += "<text x=\"" + number(lx + 30) + "\" y=\"" + number(top + 34) + "\">random router</text>\n";
    svg += "<circle cx=\"" + number(lx + 12) + "\" cy=\"" + number(top + 50) + "\" r=\"4\" fill=\"#ff7f0e\"/>\n";
    svg += "<text x=\"" + number(lx + 30) + "\" y=\"" + number(top + 54) + "\">single model</text>\n";
    svg += "<circle cx=\"" + number(lx + 12) + "\" cy=\"" + number(top + 70) + "\" r=\"5\" fill=\"#d62728\"/>\n";
    svg += "<text x=\"" + number(lx + 30) + "\" y=\"" + number(top + 74) + "\">oracle</text>\n";
    double ty = top + 104;
    for (size_t c = 0; c < others.size(); ++c) {
        svg += "<line x1=\"" + number(lx) + "\" y1=\"" + number(ty - 4) + "\" x2=\"" + number(lx + 24) + "\" y2=\"" +
               number(ty - 4) + "\" stroke=\"" + colors[c % 3] + "\" stroke-width=\"2\"/>\n";
        svg += "<text x=\"" + number(lx + 30) + "\" y=\"" + number(ty) + "\">" + escape_xml(others[c].name) + "</text>\n";
        ty += 20;
    }
    ty += others.empty() ? 0 : 10;
    auto stat = [&](const std::string & name, const std::optional<double> & v) {
        if (v) {
            svg += "<text x=\"" + number(lx) + "\" y=\"" + number(ty) + "\">" + name + " " + number(*v, "%.3f") +
                   "</text>\n";
            ty += 18;
        }
    };
    svg += "<text x=\"" + number(lx) + "\" y=\"" + number(ty) + "\">n = " + std::to_string(report.n) + "</text>\n";
    ty += 18;
    stat("APGR", report.apgr);
    stat("CPT(50%)", report.cpt50);
    stat("CPT(80%)", report.cpt80);
    stat("cost cut at 95%", report.cost_reduction_at_95);
    stat("AIQ", report.aiq);
    stat("cost share at best", report.cost_share_at_best_single);
    svg += "</svg>\n";
    return svg;
}

}  // namespace tiergate::eval
