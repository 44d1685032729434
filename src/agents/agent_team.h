#pragma once
// The agent models, in front of the gateway (gateway::model_front):
//   agent:<name>   the specialist <name>'s run (its tools, its budget, its steps)
//   agents         the specialist of the request's predicted intent; out of
//                  scope (or an intent no specialist serves): the default model
//   orchestrator   a plan over the specialists (agents/orchestrator.h)
// Runs take a worker of their own (max_concurrent); the answer carries the
// trace id that links the run's steps in the ledger (x-tiergate-trace), and a
// streaming client sees each tool step as a tool-call delta before the answer.

#include <memory>
#include <string>
#include <vector>

#include "agents/agent_runtime.h"
#include "agents/orchestrator.h"
#include "core/work_queue.h"
#include "gateway/model_front.h"
#include "router/intent_classifier.h"

namespace tiergate::agents {

class agent_team final : public gateway::model_front {
  public:
    // Opens the databases and the intent classifier the settings name.
    static result<std::unique_ptr<agent_team>> make(gateway::gateway & gate, const config::config & cfg,
                                                    agent_settings settings, context_source * knowledge,
                                                    obs::gateway_metrics * metrics);
    ~agent_team() override;

    bool serves(const std::string & model) const override;
    std::vector<std::string> model_names() const override;
    void generate(gateway::request_context ctx, generation_call call, std::shared_ptr<gateway::response_route> route,
                  std::shared_ptr<generation_observer> observer) override;
    result<nlohmann::json> explain(const gateway::request_context & ctx, const generation_call & call) const override;

  private:
    agent_team(gateway::gateway & gate, const config::config & cfg, std::unique_ptr<agent_runtime> runtime,
               std::unique_ptr<router::intent_classifier> intents);
    // The specialist an "agents" request goes to; null: out of scope or unclaimed.
    const specialist_settings * specialist_for(const router::intent_decision & d) const;
    result<bool> check_call(const generation_call & call) const;
    void start(std::shared_ptr<run_context> run, generation_call call, std::shared_ptr<gateway::response_route> route,
               const specialist_settings * specialist);

    gateway::gateway & gate_;
    const config::config & cfg_;
    std::unique_ptr<agent_runtime> runtime_;
    std::unique_ptr<router::intent_classifier> intents_;
    std::unique_ptr<orchestrator> orchestrator_;
    std::unique_ptr<work_queue> workers_;  // last: its threads end before the rest goes
};

}  // namespace tiergate::agents
