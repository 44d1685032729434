#pragma once
// What the agents share, and one specialist's run: the agent loop
//   model -> tool calls -> tool results -> model ...
// until the model answers without calling a tool, calls one of the client's
// tools (returned to the client as usual), or reaches its step limit (the
// last step is asked to answer: no tools). Every model call is a gateway
// call with a ledger row of its own, all carrying the run's trace id.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/agent_settings.h"
#include "agents/run_budget.h"
#include "agents/sql_database.h"
#include "agents/step_call.h"
#include "config/config.h"
#include "core/chat_types.h"
#include "core/retrieval.h"
#include "gateway/gateway.h"
#include "ledger/price_table.h"
#include "obs/gateway_metrics.h"

namespace tiergate::agents {

// One trace: a request to an agent model and everything it set off.
// Always held by a shared_ptr: a step's call may outlive the run.
struct run_context : std::enable_shared_from_this<run_context> {
    gateway::request_context request;  // the client's: who, the request id (= the trace id); no headers
    deadline_type deadline;
    std::shared_ptr<generation_observer> client;  // null: none to ask whether it is still there
    // Progress events for a streaming client (tool-call deltas, one at a time); null: none.
    std::function<void(generation_delta &&)> progress;
    std::atomic<int> progress_index{0};
    std::atomic<int> step_number{0};

    bool cancelled() const { return client != nullptr && !client->wanted(); }
};

struct specialist_result {
    std::string text;
    std::vector<tool_call> client_tool_calls;  // calls of the client's own tools: returned to it
    std::string finish_reason = "stop";        // stop | length | tool_calls
    std::optional<error> failure;
    int steps = 0;
    usage tokens;
    std::string model;  // the model of the last step
    bool ok() const { return !failure.has_value(); }
};

class agent_runtime {
  public:
    agent_runtime(gateway::gateway & gate, const config::config & cfg, agent_settings settings,
                  std::map<std::string, std::unique_ptr<sql_database>> databases, context_source * knowledge,
                  obs::gateway_metrics * metrics);

    const agent_settings & settings() const { return settings_; }
    const specialist_settings * find(const std::string & name) const { return settings_.find(name); }

    // The specialist's run on `messages` (the client's, without the
    // specialist's system prompt); `client` holds the client's own tools.
    specialist_result run_specialist(const specialist_settings & s, run_context & run, std::vector<chat_message> messages,
                                     const generation_call & client, run_budget * parent, int depth);

    // One model call on behalf of the run (a specialist's step, the planner,
    // the composer): priced against `budget`, numbered, accounted.
    step_answer model_step(run_context & run, const std::string & agent, const std::string & guard_policy,
                           generation_call call, run_budget & budget);

    // The most a call can cost: its prompt estimate and max_tokens at the priciest model it may reach.
    double max_cost_of(const generation_call & call) const;
    int max_depth() const;
    obs::gateway_metrics * metrics() const { return metrics_; }

  private:
    std::string run_tool(const specialist_settings & s, run_context & run, const tool_call & call, run_budget & budget,
                         int depth, bool & failed);
    std::string retrieve(run_context & run, const std::string & collection, const std::string & query, int k,
                         bool & failed);
    std::vector<std::string> delegates_of(const specialist_settings & s) const;
    // A model's price per million tokens; the priciest configured one for the router's name.
    ledger::model_price price_of(const std::string & model) const;

    gateway::gateway & gate_;
    const config::config & cfg_;
    agent_settings settings_;
    std::map<std::string, std::unique_ptr<sql_database>> databases_;
    context_source * knowledge_;
    obs::gateway_metrics * metrics_;
    ledger::model_price priciest_;  // over every configured model
};

}  // namespace tiergate::agents
