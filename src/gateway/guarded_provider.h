#pragma once
// One request's view of a provider through the guard: an external model gets
// the egress texts (pseudonyms in place) and its answer has the values
// restored as it streams, placeholders split across chunks included; an
// on-prem model gets the on-prem texts. Whatever call reaches generate(),
// only its texts are replaced: the sampling, limits and logprob settings of
// the caller (a cascade, a fallback chain) stay.

#include <memory>

#include "gateway/call_guard.h"
#include "providers/provider.h"

namespace tiergate::gateway {

class guarded_provider final : public providers::provider {
  public:
    guarded_provider(providers::provider & inner, bool external, std::shared_ptr<const guarded_call> guarded);

    providers::provider_kind kind() const override { return inner_.kind(); }
    const std::string & name() const override { return inner_.name(); }
    bool supports_embeddings() const override { return inner_.supports_embeddings(); }
    int context_window() const override { return inner_.context_window(); }

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override;
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override;

  private:
    providers::provider & inner_;
    bool external_;
    std::shared_ptr<const guarded_call> guarded_;
};

}  // namespace tiergate::gateway
