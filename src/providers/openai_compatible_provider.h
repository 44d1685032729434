#pragma once
// A model behind an OpenAI-compatible API (provider kinds openai_compatible
// and openai): chat/completions, completions and embeddings.

#include <memory>

#include "providers/remote_provider.h"

namespace tiergate::providers {

class openai_compatible_provider final : public remote_provider {
  public:
    // The model must be remote (model.remote set) with an http(s) endpoint.
    static result<std::unique_ptr<openai_compatible_provider>> create(const config::model_config & model,
                                                                      remote_context context);

    bool supports_embeddings() const override { return embeddings_; }
    // POST {endpoint}/embeddings, with the same retry policy and breaker.
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override;

    openai_compatible_provider(const config::model_config & model, endpoint_url url, remote_context context);

  private:
    bool embeddings_ = false;
};

}  // namespace tiergate::providers
