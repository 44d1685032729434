#pragma once
// A plan: subtasks, each for a specialist with an instruction and the
// subtasks whose results it needs. Read from a planner model's JSON (the
// schema below, which a local planner is held to by a grammar) or taken from
// a configured rule, and checked before anything runs: known specialists,
// unique ids, dependencies on subtasks of the plan, no cycles, size limits.

#include <string>
#include <vector>

#include "agents/agent_settings.h"
#include "core/error.h"

namespace tiergate::agents {

struct plan {
    std::vector<plan_step> steps;
    // Indexes of `steps` in waves: every step of a wave depends only on steps
    // of earlier waves, so a wave's steps may run in parallel.
    std::vector<std::vector<size_t>> waves;
};

// The JSON schema the planner's answer must match.
std::string plan_schema_json(const std::vector<std::string> & specialists, int max_subtasks);

// Reads and checks a planner's answer (a JSON object {"subtasks": [...]}).
result<plan> parse_plan(const std::string & text, const agent_settings & settings, int max_subtasks);
// Checks steps (from a rule or a parsed answer) and orders them in waves.
result<plan> check_plan(std::vector<plan_step> steps, const agent_settings & settings, int max_subtasks);

}  // namespace tiergate::agents
