#include "gateway/gateway_settings.h"

#include "router/router_file.h"

namespace tiergate::gateway {

gateway_settings read_gateway_settings(const config::config & cfg, config::config_errors & errors) {
    gateway_settings out;
    out.route = router::read_route_settings(cfg, errors);
    out.guard = read_guard_settings(cfg, errors);
    out.budgets = read_budget_settings(cfg, errors);
    if (out.route.learned && !out.route.learned->file.empty() && errors.empty()) {
        const auto & l = *out.route.learned;
        auto model = router::load_router(l.file);
        if (!model) {
            errors.add(l.pos, "router.learned.file", "cannot load the router file " + l.file + ": " + model.err().message);
        } else {
            for (const auto & [from, to] : l.models) {
                if (std::find(model->models.begin(), model->models.end(), from) == model->models.end()) {
                    std::string known;
                    for (const auto & m : model->models) {
                        known += (known.empty() ? "" : ", ") + m;
                    }
                    errors.add(l.pos, "router.learned.models." + from,
                               "the router file has no model named \"" + from + "\" (it has: " + known + ")");
                }
            }
        }
    }
    return out;
}

}  // namespace tiergate::gateway
