#pragma once
// What an answer says about its route, sent as the headers x-tiergate-tier,
// x-tiergate-model and x-tiergate-route. The gateway fills it before the
// first delta or the end reaches the client's observer, with the citations
// of the passages retrieval added to the prompt.

#include <string>
#include <vector>

#include "core/retrieval.h"

namespace tiergate::gateway {

struct response_route {
    std::string tier;
    std::string model;
    std::string route;  // "stage:reason"
    std::vector<citation> citations;  // the passages retrieval added to the prompt
    std::string cache;                // exact | semantic | miss | bypass; empty: no cache (x-tiergate-cache)
    std::string trace_id;             // an agent run's trace id, linking its steps in the ledger (x-tiergate-trace)
    std::string agent;                // the specialist that answered (x-tiergate-agent)
    std::string intent;               // the intent the "agents" model predicted (x-tiergate-intent)
};

}  // namespace tiergate::gateway
