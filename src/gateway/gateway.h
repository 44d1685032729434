#pragma once
// The request path between the API edge and the providers:
//   retrieve  when the call asks for it: passages from the team's collections
//             into the prompt, their citations onto the answer (a context_source)
//   guard     scan every text of the call; block, or plan pseudonyms and residency
//   cache     a call without findings may be answered from the answer cache
//   router    constraints, rules, learned router, cascade (router::route_planner)
//   budgets   reserve the request's maximum cost atomically (ledger::budget_enforcer)
//   call      the model with its fallbacks, each through the guard; or the cascade
//   capture   a request in the distillation capture's scope: each model call
//             as the model saw it and its answer (core/answer_capture.h)
//   account   settle the budget, write the usage record, count the metrics
// Errors at any step reach the observer's on_end with a failure; nothing here
// throws or blocks on the network except a Redis budget round trip.

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/key_verifier.h"
#include "config/config.h"
#include "core/answer_cache.h"
#include "core/answer_capture.h"
#include "core/chat_types.h"
#include "core/retrieval.h"
#include "gateway/budget_settings.h"
#include "gateway/guard_settings.h"
#include "gateway/response_route.h"
#include "guard/scanner.h"
#include "ledger/budget_enforcer.h"
#include "ledger/ledger_writer.h"
#include "ledger/price_table.h"
#include "obs/gateway_metrics.h"
#include "providers/registry.h"
#include "router/route_planner.h"

namespace tiergate::gateway {

// Who sent a request, and when.
struct request_context {
    std::string request_id;
    std::shared_ptr<const auth::key_identity> who;  // null: keyless
    const std::map<std::string, std::string> * headers = nullptr;  // names lower-cased
    int64_t arrival_ms = 0;  // Unix milliseconds
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    // A step of an agent run (src/agents): the run's trace id and the
    // specialist taking the step, both recorded in the ledger; the guard
    // policy the specialist declares (empty: chosen by key, team and model).
    std::string trace_id;
    std::string agent;
    std::string guard_policy;
};

struct gateway_parts {
    const config::config * cfg = nullptr;
    providers::registry * models = nullptr;  // every configured model by canonical name
    std::unique_ptr<router::route_planner> planner;
    guard_settings guard;
    std::unique_ptr<guard::scanner> scanner;
    budget_settings budget;
    std::unique_ptr<ledger::counter_backend> counters;  // null without budgets
    ledger::ledger_writer * ledger = nullptr;          // null: usage is not recorded
    obs::gateway_metrics * metrics = nullptr;
    context_source * knowledge = nullptr;  // null: a call asking for retrieval is refused
    retrieval_attachments attached;        // collections searched without the call naming them
    answer_cache * cache = nullptr;        // null: no answer cache
    answer_capture * capture = nullptr;    // null: nothing is captured for distillation
};

class gateway {
  public:
    explicit gateway(gateway_parts parts);
    ~gateway();

    // Routes and starts the generation. `route` is filled before the first
    // delta or the end reaches `observer`.
    void generate(request_context ctx, generation_call call, std::shared_ptr<response_route> route,
                  std::shared_ptr<generation_observer> observer);

    // Embeddings from the named model (no routing), through the guard.
    void embed(request_context ctx, embedding_call call, std::shared_ptr<response_route> route,
               std::function<void(result<embedding_result>)> done);

    // The decision for a chat or completion call, without generating: POST /v1/route.
    result<nlohmann::json> explain(const request_context & ctx, const generation_call & call) const;

    // Whether `name` is a model clients may send (a configured name or alias, or the router's name).
    bool knows_model(const std::string & name) const;
    // The prices every call is accounted at.
    const ledger::price_table & prices() const;
    // The router's model name ("auto").
    const std::string & router_model_name() const;
    // The budgets in force (their limits can be replaced while serving); null
    // when the gateway has no budget counters.
    ledger::budget_enforcer * budgets() const;

    struct impl;

  private:
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::gateway
