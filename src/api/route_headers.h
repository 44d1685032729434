#pragma once
// The headers that tell a client where its request went: x-tiergate-tier,
// x-tiergate-model and x-tiergate-route.

#include "api/http_server.h"
#include "gateway/response_route.h"

namespace tiergate::api {

header_list route_headers(const gateway::response_route & route);

}  // namespace tiergate::api
