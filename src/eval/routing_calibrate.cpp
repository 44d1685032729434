#include "eval/routing_calibrate.h"

#include "eval/routing_eval.h"

#include <charconv>
#include <cmath>

namespace tiergate::eval {

result<calibration_target> parse_calibration_target(std::string_view text) {
    const size_t eq = text.find('=');
    const std::string usage = "use strong-share=S (0..1) or quality=Q (0..1, relative to the strongest model)";
    if (eq == std::string_view::npos) {
        return error::invalid("--target '" + std::string(text) + "': " + usage, "target");
    }
    const std::string_view name = text.substr(0, eq);
    const std::string_view number = text.substr(eq + 1);
    calibration_target target;
    if (name == "strong-share") {
        target.what = calibration_target::kind::strong_share;
    } else if (name == "quality") {
        target.what = calibration_target::kind::quality;
    } else {
        return error::invalid("--target '" + std::string(text) + "': unknown target '" + std::string(name) + "'; " +
                                  usage,
                              "target");
    }
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), target.value);
    if (number.empty() || ec != std::errc() || ptr != number.data() + number.size() || !(target.value >= 0) ||
        !(target.value <= 1)) {
        return error::invalid("--target '" + std::string(text) + "': value must be a number in 0..1", "target");
    }
    return target;
}

result<calibration_result> calibrate_router(router::router_model & model, const routing_dataset & data,
                                            const calibration_target & target) {
    if (std::string problem = model.check(); !problem.empty()) {
        return error::invalid(problem, "router");
    }
    const router::learned_router router(model);
    auto scored = score_samples(router, data);
    if (!scored) {
        return scored.err();
    }
    const size_t strong = strong_model(router);
    double strong_quality = 0;
    for (size_t i = 0; i < scored->n; ++i) {
        strong_quality += scored->quality[i * scored->k + strong];
    }
    strong_quality /= static_cast<double>(scored->n);

    std::vector<curve_point> curve;
    for (double parameter : sweep_parameters(router, *scored, 2000)) {
        curve.push_back(evaluate_parameter(router, *scored, parameter));
    }
    const curve_point * chosen = nullptr;
    bool met = false;
    if (target.what == calibration_target::kind::strong_share) {
        for (const curve_point & p : curve) {
            if (p.strong_share <= target.value + 1e-12 &&
                (!chosen || p.strong_share > chosen->strong_share ||
                 (p.strong_share == chosen->strong_share && p.quality > chosen->quality))) {
                chosen = &p;
            }
        }
        met = chosen != nullptr;
        if (!chosen) {
            for (const curve_point & p : curve) {
                if (!chosen || p.strong_share < chosen->strong_share) {
                    chosen = &p;
                }
            }
        }
    } else {
        const double goal = target.value * strong_quality;
        for (const curve_point & p : curve) {
            if (p.quality >= goal - 1e-12 &&
                (!chosen || p.cost < chosen->cost || (p.cost == chosen->cost && p.quality > chosen->quality))) {
                chosen = &p;
            }
        }
        met = chosen != nullptr;
        if (!chosen) {
            for (const curve_point & p : curve) {
                if (!chosen || p.quality > chosen->quality) {
                    chosen = &p;
                }
            }
        }
    }
    calibration_result out;
    out.parameter = chosen->parameter;
    out.achieved = *chosen;
    out.strong_quality = strong_quality;
    out.n = scored->n;
    out.met = met;
    model.set_parameter(chosen->parameter);
    return out;
}

}  // namespace tiergate::eval
