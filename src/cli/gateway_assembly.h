#pragma once
// The gateway built from a config, as `tiergate serve` runs it and as the
// commands that send work through it (`tiergate rag ingest --config`) use
// it: the engine with the local models, the remote providers, the router,
// the guard, budgets, the ledger, the knowledge layer and the answer cache.
// Wiring only: every piece is its module's.

#include <functional>
#include <memory>
#include <string>

#include "agents/agent_team.h"
#include "cache/answer_store.h"
#include "config/config.h"
#include "distill/capture_recorder.h"
#include "distill/promotion_watcher.h"
#include "engine/engine.h"
#include "gateway/gateway.h"
#include "gateway/gateway_embedder.h"
#include "ledger/ledger_writer.h"
#include "obs/gateway_metrics.h"
#include "obs/metrics_registry.h"
#include "providers/registry.h"
#include "providers/remote_context.h"
#include "rag/knowledge_base.h"
#include "rag/knowledge_context.h"

namespace tiergate::cli {

struct assembly_failure {
    std::string message;  // empty: the config's errors are on stderr already
    int exit_code = 2;  // 2: the config is wrong; 1: something it names could not be opened
};

class gateway_assembly {
  public:
    // Reads the gateway's settings from `cfg` and builds every part; on
    // failure, `failure` says why (settings errors are already on stderr).
    static std::unique_ptr<gateway_assembly> build(config::config cfg, assembly_failure & failure);
    ~gateway_assembly();

    // Lets the calls in flight end and be accounted, then writes the ledger:
    // remote calls stop, inference threads end, the ledger's queue is written.
    // `calls_ended` runs once no thread of the assembly can answer a request
    // any more, before the ledger is written: the server destroys the work
    // left on its I/O threads there (their calls are accounted as cut).
    void shutdown(const std::function<void()> & calls_ended = {});

    config::config cfg;
    obs::metrics_registry metrics_registry;
    std::unique_ptr<obs::gateway_metrics> metrics;
    std::unique_ptr<engine::engine> eng;
    providers::remote_context remote = providers::remote_context::make();
    providers::registry models;
    std::unique_ptr<ledger::ledger_writer> ledger;
    std::unique_ptr<rag::knowledge_base> knowledge;
    std::unique_ptr<rag::knowledge_context> knowledge_source;
    std::unique_ptr<cache::answer_store> answers;
    std::unique_ptr<distill::capture_recorder> capture;  // declared before the gateway: outlives its calls
    std::unique_ptr<distill::promotion_watcher> promotions;  // swaps promoted weights into the engine
    std::unique_ptr<gateway::gateway> gate;
    std::unique_ptr<agents::agent_team> agents;  // agent models in front of the gateway; null: none configured

  private:
    gateway_assembly() = default;
    bool shut_down_ = false;
};

}  // namespace tiergate::cli
