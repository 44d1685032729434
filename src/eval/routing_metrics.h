#pragma once
// Routing metrics on a cost-quality curve.
// Two models (RouteLLM): PGR = (router - weak) / (strong - weak);
// APGR = area under PGR against the share of strong calls, from (0, 0) to
// (1, 1); CPT(x) = the smallest strong share at which PGR >= x.
// Many models (RouterBench): AIQ = area under the non-decreasing convex hull
// of the (cost, quality) points, extended flat to the largest cost and
// divided by the cost range.

#include <optional>
#include <span>
#include <vector>

namespace tiergate::eval {

struct curve_point {
    double parameter = 0;     // the router's threshold (or lambda) for this point
    double strong_share = 0;  // share of calls sent to the most expensive model
    double quality = 0;       // mean quality of the picked answers
    double cost = 0;          // mean cost per call, USD
};

struct cost_quality {
    double cost = 0;
    double quality = 0;
};

// NaN when strong == weak.
double pgr(double quality, double weak, double strong);

// nullopt when strong == weak.
std::optional<double> apgr(std::span<const curve_point> points, double weak, double strong);

// The smallest strong share among points (and the all-strong end) where PGR >= x.
std::optional<double> cpt(std::span<const curve_point> points, double weak, double strong, double x);

// The lowest cost among points with quality >= target, nullopt when none.
std::optional<double> cheapest_cost_reaching(std::span<const curve_point> points, double target);
// The smallest strong share among points with quality >= target.
std::optional<double> smallest_share_reaching(std::span<const curve_point> points, double target);

// Upper convex hull of the points from the cheapest one up to the best
// quality: the curve reachable by mixing routers, never decreasing.
std::vector<cost_quality> nondecreasing_hull(std::vector<cost_quality> points);

// Area under the hull from its first point to cost_max (flat after its last
// point), divided by cost_max - cost_min. nullopt when the range is empty.
std::optional<double> aiq(std::span<const cost_quality> points, double cost_min, double cost_max);

}  // namespace tiergate::eval
