#pragma once
// Model names answered by a layer in front of the gateway rather than by one
// model (the specialist agents: agent:<name>, agents, orchestrator). The API
// edge asks the front first; a name the front does not serve goes to the
// gateway. A front sends its own model calls through the gateway, so each
// is guarded, routed, budgeted and accounted like any request.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/chat_types.h"
#include "gateway/gateway.h"
#include "gateway/response_route.h"

namespace tiergate::gateway {

class model_front {
  public:
    virtual ~model_front() = default;
    virtual bool serves(const std::string & model) const = 0;
    // The names it serves, for GET /v1/models.
    virtual std::vector<std::string> model_names() const = 0;
    // Like gateway::generate: `route` is filled before the first delta or the
    // end reaches `observer`; on_end is called exactly once.
    virtual void generate(request_context ctx, generation_call call, std::shared_ptr<response_route> route,
                          std::shared_ptr<generation_observer> observer) = 0;
    // What it would do with the call, without doing it (POST /v1/route).
    virtual result<nlohmann::json> explain(const request_context & ctx, const generation_call & call) const = 0;
};

}  // namespace tiergate::gateway
