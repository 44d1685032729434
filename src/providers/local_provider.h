#pragma once
// The in-process engine as a provider.

#include <functional>
#include <memory>
#include <string>

#include "engine/engine.h"
#include "engine/model_host.h"
#include "providers/provider.h"

namespace tiergate::providers {

class local_provider final : public provider {
  public:
    // Always this host.
    explicit local_provider(std::shared_ptr<engine::model_host> host);
    // Whichever host the engine serves under `name` when a call starts (the
    // engine's replace() swaps it; calls already started keep theirs).
    local_provider(const engine::engine & eng, std::string name);

    provider_kind kind() const override { return provider_kind::local; }
    const std::string & name() const override { return name_; }
    bool supports_embeddings() const override;
    int context_window() const override;

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override;
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override;
    // The slots of the host serving now.
    provider_health health() const override;

    // The engine request a call becomes (prompt rendered and tokenized,
    // sampling mapped, schema compiled to a grammar), for in-process callers
    // such as the cascade that read the token stream themselves. Synchronous:
    // call it off the HTTP I/O threads (generate() runs it on the model's
    // preparation threads).
    result<engine::generation_request> prepare(const generation_call & call) const;
    // The host a call starting now runs on; null once the engine is shutting down.
    std::shared_ptr<engine::model_host> host() const { return current_(); }

  private:
    std::string name_;
    std::function<std::shared_ptr<engine::model_host>()> current_;
};

}  // namespace tiergate::providers
