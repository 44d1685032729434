#pragma once
// SVG of a routing evaluation: the router's cost-quality curve, the single
// models, a random router (random mix of the cheapest and the most
// expensive model) and the oracle.

#include "eval/routing_eval.h"

#include <string>
#include <string_view>

namespace tiergate::eval {

std::string render_routing_svg(const routing_report & report, std::string_view title);

}  // namespace tiergate::eval
