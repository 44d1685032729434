#pragma once
// One interface for every model, local or remote. A provider turns a typed
// call into a stream of deltas for an observer; the API edge and the router
// never know which kind they talk to.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chat_types.h"
#include "core/error.h"
#include "config/model_enums.h"

namespace tiergate::providers {

using config::provider_kind;

// One deployment of a model's pool, as the pool sees it now.
struct deployment_health {
    std::string name;
    std::string state;   // ready | busy | limited | cooling | open | down
    std::string target;  // the endpoint, or the in-process model's name
    std::string region;
    std::vector<std::string> tags;
    int64_t in_flight = 0;
    double latency_ms = -1.0;  // average; < 0: none measured yet
    int64_t requests = 0;
    int64_t errors = 0;
    int64_t rpm_used = 0;
    int64_t tpm_used = 0;
};

// What a model's health looks like now, for the admin API; a field is
// absent when it does not apply to the provider's kind.
struct provider_health {
    std::optional<std::string> circuit;  // remote: closed | open | half_open
    std::optional<int> slots;            // local: slots decoded together
    std::optional<int> slots_in_use;
    std::optional<int> queued;           // local: calls waiting for a slot
    std::optional<std::string> version;  // local: the weights served ("base", "v2" after promotions)
    std::vector<deployment_health> deployments;  // a pool's deployments; empty otherwise
};

class provider {
  public:
    virtual ~provider() = default;
    virtual provider_kind kind() const = 0;
    // The model's configured name (what /v1/models lists).
    virtual const std::string & name() const = 0;
    virtual bool supports_embeddings() const = 0;
    // Context window in tokens, 0 when unknown.
    virtual int context_window() const = 0;

    // Never blocks; the observer hears every outcome, errors included.
    virtual void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) = 0;
    virtual void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) = 0;
    virtual provider_health health() const { return {}; }
};

}  // namespace tiergate::providers
