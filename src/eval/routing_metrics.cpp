#include "eval/routing_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tiergate::eval {

double pgr(double quality, double weak, double strong) {
    if (strong == weak) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    return (quality - weak) / (strong - weak);
}

std::optional<double> apgr(std::span<const curve_point> points, double weak, double strong) {
    if (strong == weak) {
        return std::nullopt;
    }
    std::vector<std::pair<double, double>> curve;
    curve.reserve(points.size() + 2);
    curve.emplace_back(0.0, 0.0);
    for (const curve_point & p : points) {
        curve.emplace_back(std::clamp(p.strong_share, 0.0, 1.0), pgr(p.quality, weak, strong));
    }
    curve.emplace_back(1.0, 1.0);
    std::sort(curve.begin(), curve.end());
    double area = 0;
    for (size_t i = 1; i < curve.size(); ++i) {
        area += (curve[i].first - curve[i - 1].first) * (curve[i].second + curve[i - 1].second) / 2.0;
    }
    return area;
}

std::optional<double> cpt(std::span<const curve_point> points, double weak, double strong, double x) {
    if (strong == weak) {
        return std::nullopt;
    }
    double best = 1.0;  // all calls to the strong model reach PGR 1
    for (const curve_point & p : points) {
        if (pgr(p.quality, weak, strong) >= x - 1e-12) {
            best = std::min(best, p.strong_share);
        }
    }
    return best;
}

std::optional<double> cheapest_cost_reaching(std::span<const curve_point> points, double target) {
    std::optional<double> best;
    for (const curve_point & p : points) {
        if (p.quality >= target - 1e-12 && (!best || p.cost < *best)) {
            best = p.cost;
        }
    }
    return best;
}

std::optional<double> smallest_share_reaching(std::span<const curve_point> points, double target) {
    std::optional<double> best;
    for (const curve_point & p : points) {
        if (p.quality >= target - 1e-12 && (!best || p.strong_share < *best)) {
            best = p.strong_share;
        }
    }
    return best;
}

std::vector<cost_quality> nondecreasing_hull(std::vector<cost_quality> points) {
    if (points.empty()) {
        return points;
    }
    std::sort(points.begin(), points.end(), [](const cost_quality & a, const cost_quality & b) {
        return a.cost < b.cost || (a.cost == b.cost && a.quality > b.quality);
    });
    std::vector<cost_quality> unique;
    for (const cost_quality & p : points) {
        if (unique.empty() || p.cost != unique.back().cost) {
            unique.push_back(p);
        }
    }
    std::vector<cost_quality> hull;
    for (const cost_quality & p : unique) {
        while (hull.size() >= 2) {
            const cost_quality & a = hull[hull.size() - 2];
            const cost_quality & b = hull.back();
            const double cross = (b.cost - a.cost) * (p.quality - a.quality) - (b.quality - a.quality) * (p.cost - a.cost);
            if (cross >= 0) {
                hull.pop_back();
            } else {
                break;
            }
        }
        hull.push_back(p);
    }
    size_t best = 0;
    for (size_t i = 1; i < hull.size(); ++i) {
        if (hull[i].quality > hull[best].quality) {
            best = i;
        }
    }
    hull.resize(best + 1);
    return hull;
}

std::optional<double> aiq(std::span<const cost_quality> points, double cost_min, double cost_max) {
    if (points.empty() || !(cost_max > cost_min)) {
        return std::nullopt;
    }
    const std::vector<cost_quality> hull = nondecreasing_hull({points.begin(), points.end()});
    double area = 0;
    for (size_t i = 1; i < hull.size(); ++i) {
        area += (hull[i].cost - hull[i - 1].cost) * (hull[i].quality + hull[i - 1].quality) / 2.0;
    }
    if (cost_max > hull.back().cost) {
        area += (cost_max - hull.back().cost) * hull.back().quality;
    }
    return area / (cost_max - cost_min);
}

}  // namespace tiergate::eval
