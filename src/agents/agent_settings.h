#pragma once
// The `agents` section of a config, read strictly (errors carry the file,
// line and field):
//   agents:
//     max_concurrent: 32        # agent runs at once; as many more wait, beyond that 503
//     databases:                # what sql_query reads, read-only
//       warehouse:
//         url: data/warehouse.db   # a SQLite file (relative to the config) or postgresql://...
//         max_rows: 200            # a query returning more rows is refused
//         timeout_ms: 2000         # a query running longer is stopped
//         statements: [select, with]   # the statement kinds allowed (their first word)
//     specialists:
//       - name: sql                # served as "agent:sql"
//         description: writes and runs SQL over the warehouse
//         model: local-slm         # a configured model or "auto"; or `tier: slm|mid|frontier`
//         system: You answer with SQL results.
//         tools: [sql_query, retrieve, call_specialist]
//         database: warehouse      # for sql_query
//         collections: [handbook]  # for retrieve
//         delegates: [writer]      # for call_specialist (default: every other specialist)
//         guard_policy: strict     # a policy of the guard section
//         max_cost_usd: 0.05       # one run's spending, its steps added up
//         max_steps: 6             # model calls in one run
//         intents: [balance]       # what "agents" sends here (intent names or domains)
//         domains: [banking]
//     intents:                     # "model": "agents" picks a specialist by intent
//       router: intents.router     # tiergate agents train-intents
//       model_name: agents
//       default_model: auto        # out of scope, or an intent no specialist serves
//     orchestrator:
//       name: orchestrator
//       planner: mid-model         # a model that returns a plan as JSON; absent: the rules below
//       composer: mid-model        # writes the final answer (default: the planner, else the
//                                  # last step's answer is the answer)
//       max_subtasks: 6
//       max_depth: 2               # call_specialist nesting
//       max_cost_usd: 0.5          # the whole plan
//       deadline_ms: 60000
//       retries: 1                 # a failed subtask is tried again this often
//       rules:                     # the plan without a planner model
//         - intents: [balance, transactions]   # or domains: [...]; neither: every request
//           steps:
//             - {id: data, specialist: sql, instruction: "Find the figures."}
//             - {id: reply, specialist: writer, instruction: "Answer the customer.", after: [data]}

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_error.h"

namespace tiergate::agents {

struct database_settings {
    std::string name;
    bool postgresql = false;
    std::string target;  // the SQLite path (absolute) or the URL
    int max_rows = 200;
    int timeout_ms = 2000;
    std::vector<std::string> statements = {"select", "with"};  // lower case
};

struct specialist_settings {
    std::string name;
    std::string description;
    std::string model;  // a configured model name or the router's name
    std::string system;
    std::vector<std::string> tools;  // sql_query | retrieve | call_specialist
    std::string database;
    std::vector<std::string> collections;
    std::vector<std::string> delegates;
    std::string guard_policy;
    double max_cost_usd = 0.0;  // 0: no limit of its own
    int max_steps = 6;
    std::vector<std::string> intents;
    std::vector<std::string> domains;
};

struct plan_step {
    std::string id;
    std::string specialist;
    std::string instruction;
    std::vector<std::string> after;  // ids of the steps whose results it needs
};

struct plan_rule {
    std::vector<std::string> intents;
    std::vector<std::string> domains;
    std::vector<plan_step> steps;
};

struct orchestrator_settings {
    std::string name = "orchestrator";
    std::string planner;   // empty: rules only
    std::string composer;  // empty: the planner's model, or the last step's answer without one
    int max_subtasks = 6;
    int max_depth = 2;
    double max_cost_usd = 0.0;  // 0: no limit of its own
    int deadline_ms = 60'000;
    int retries = 1;
    std::vector<plan_rule> rules;
};

struct intent_settings {
    std::string router;  // the classifier file, absolute
    std::string model_name = "agents";
    std::string default_model;  // empty: the router's name
};

struct agent_settings {
    int max_concurrent = 32;
    std::map<std::string, database_settings> databases;
    std::vector<specialist_settings> specialists;
    std::optional<intent_settings> intents;
    std::optional<orchestrator_settings> orchestrator;

    const specialist_settings * find(const std::string & name) const;
};

inline constexpr const char * agent_model_prefix = "agent:";

// Absent section: nullopt. `router_name` is the router's model name ("auto"),
// which a specialist may name as its model.
std::optional<agent_settings> read_agent_settings(const config::config & cfg, const std::string & router_name,
                                                  config::config_errors & errors);

}  // namespace tiergate::agents
