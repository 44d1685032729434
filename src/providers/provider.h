#pragma once
// One interface for every model, local or remote. A provider turns a typed
// call into a stream of deltas for an observer; the API edge and the router
// never know which kind they talk to.

#include <functional>
#include <memory>
#include <string>

#include "core/chat_types.h"
#include "core/error.h"
#include "config/model_enums.h"

namespace tiergate::providers {

using config::provider_kind;

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
};

}  // namespace tiergate::providers
