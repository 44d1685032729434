#pragma once
// Calibration: the router setting (threshold or lambda) that meets a target
// on data the router was not trained on.
//   strong-share=S  the largest share of calls to the most expensive model <= S
//   quality=Q       the cheapest setting whose quality >= Q x the quality of
//                   the most expensive model on the same data

#include "core/error.h"
#include "eval/routing_data.h"
#include "eval/routing_metrics.h"
#include "router/router_model.h"

#include <string_view>

namespace tiergate::eval {

struct calibration_target {
    enum class kind { strong_share, quality };
    kind what = kind::quality;
    double value = 0.95;
};

result<calibration_target> parse_calibration_target(std::string_view text);

struct calibration_result {
    double parameter = 0;
    curve_point achieved;
    double strong_quality = 0;  // quality of the most expensive model on the data
    size_t n = 0;
    bool met = false;  // false: the closest setting is used
};

// Sets the router's parameter in model.
result<calibration_result> calibrate_router(router::router_model & model, const routing_dataset & data,
                                            const calibration_target & target);

}  // namespace tiergate::eval
