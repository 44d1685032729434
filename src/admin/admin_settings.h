#pragma once
// The `admin` section of the config, read strictly:
//
//   admin:
//     tier_target: { slm: 70, mid: 20, frontier: 10 }   # the traffic split the
//                                                       # dashboard compares with (percent)

#include <array>

#include "config/config.h"
#include "config/config_error.h"

namespace tiergate::admin {

struct admin_settings {
    std::array<double, 3> tier_target{0.7, 0.2, 0.1};  // slm, mid, frontier; shares summing to 1
};

admin_settings read_admin_settings(const config::config & cfg, config::config_errors & errors);

}  // namespace tiergate::admin
