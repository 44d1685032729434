#pragma once
// The in-process engine as a provider.

#include "engine/model_host.h"
#include "providers/provider.h"

namespace tiergate::providers {

class local_provider final : public provider {
  public:
    explicit local_provider(engine::model_host & host) : host_(host) {}

    provider_kind kind() const override { return provider_kind::local; }
    const std::string & name() const override { return host_.name(); }
    bool supports_embeddings() const override { return host_.embeddings_enabled(); }
    int context_window() const override { return host_.ctx_per_slot(); }

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override;
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override;

    // The engine request a call becomes (prompt rendered and tokenized,
    // sampling mapped, schema compiled to a grammar), for in-process callers
    // such as the cascade that read the token stream themselves. Synchronous:
    // call it off the HTTP I/O threads (generate() runs it on the model's
    // preparation threads).
    result<engine::generation_request> prepare(const generation_call & call) const;
    engine::model_host & host() { return host_; }

  private:
    engine::model_host & host_;
};

}  // namespace tiergate::providers
