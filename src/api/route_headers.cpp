#include "api/route_headers.h"

namespace tiergate::api {

header_list route_headers(const gateway::response_route & route) {
    return {{"x-tiergate-tier", route.tier}, {"x-tiergate-model", route.model}, {"x-tiergate-route", route.route}};
}

}  // namespace tiergate::api
