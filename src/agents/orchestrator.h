#pragma once
// The orchestrator: a plan for the request (from a planner model, or from
// the configured rules), its subtasks run by the specialists — independent
// ones in parallel, dependent ones in order, each given the results it
// depends on —, a failed subtask tried again, and a final step that composes
// the answer. The whole plan spends within one budget and one deadline; a
// plan that cannot finish answers with what it has and says what is missing.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agents/agent_runtime.h"
#include "agents/plan.h"
#include "router/intent_classifier.h"

namespace tiergate::agents {

struct plan_outcome {
    std::string text;
    bool partial = false;  // some subtask failed or was skipped
    std::optional<error> failure;  // nothing usable came of the plan
    usage tokens;
    std::string model;
    int subtasks = 0;
    int failed = 0;
};

class orchestrator {
  public:
    orchestrator(agent_runtime & runtime, const orchestrator_settings & settings,
                 const router::intent_classifier * intents);

    plan_outcome run(run_context & run, const generation_call & client);
    // The plan a rule gives the call (no planner model is called).
    nlohmann::json explain(const generation_call & call) const;

  private:
    result<plan> plan_for(run_context & run, const generation_call & client, const std::string & request_text,
                          run_budget & budget, plan_outcome & out);
    const plan_rule * rule_for(const std::string & request_text) const;

    agent_runtime & rt_;
    const orchestrator_settings & settings_;
    const router::intent_classifier * intents_;
};

}  // namespace tiergate::agents
