#include "api/route_headers.h"

namespace tiergate::api {

header_list route_headers(const gateway::response_route & route) {
    header_list out{{"x-tiergate-tier", route.tier}, {"x-tiergate-model", route.model}, {"x-tiergate-route", route.route}};
    if (!route.cache.empty()) {
        out.emplace_back("x-tiergate-cache", route.cache);
    }
    if (!route.trace_id.empty()) {
        out.emplace_back("x-tiergate-trace", route.trace_id);
    }
    if (!route.agent.empty()) {
        out.emplace_back("x-tiergate-agent", route.agent);
    }
    if (!route.intent.empty()) {
        out.emplace_back("x-tiergate-intent", route.intent);
    }
    return out;
}

}  // namespace tiergate::api
