#pragma once
// SVG of a routing evaluation: the router's cost-quality curve, the single
// models, a random router (random mix of the cheapest and the most
// expensive model) and the oracle.

#include "eval/routing_eval.h"

#include <string>
#include <span>
#include <string_view>
#include <vector>

namespace tiergate::eval {

// Another cost-quality curve drawn beside the report's (e.g. the prompt-only
// router beside a cascade).
struct plot_curve {
    std::string name;
    std::vector<curve_point> points;
};

std::string render_routing_svg(const routing_report & report, std::string_view title,
                               std::string_view curve_name = "learned router",
                               std::span<const plot_curve> others = {});

}  // namespace tiergate::eval
