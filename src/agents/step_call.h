#pragma once
// One model call of an agent run, sent through the gateway (guard, router,
// budgets, ledger) and waited for: the answer collected whole (text and tool
// calls), or the failure. A call that outlives the run's deadline is told to
// stop (its observer is no longer wanted) and left to end on its own; the
// gateway still accounts it when it does.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/chat_types.h"
#include "gateway/gateway.h"
#include "gateway/response_route.h"

namespace tiergate::agents {

using deadline_type = std::chrono::steady_clock::time_point;

struct step_answer {
    std::string text;
    std::vector<tool_call> tool_calls;
    generation_end end;  // end.failure set when the call failed or timed out
    gateway::response_route route;
    bool ok() const { return !end.failure.has_value(); }
};

// Runs `call` through `gate` on behalf of `ctx`, waiting at most until
// `deadline`, and while `cancelled` says false (the client is still there).
step_answer call_step(gateway::gateway & gate, gateway::request_context ctx, generation_call call,
                      deadline_type deadline, const std::function<bool()> & cancelled);

}  // namespace tiergate::agents
