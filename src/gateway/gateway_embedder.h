#pragma once
// A configured embedding model as the knowledge layer's embedder: each
// batch goes through gateway::embed like any /v1/embeddings request (the
// caller's key scope, the guard, budgets reserved and settled, a ledger row
// of its own), and the knowledge layer's thread waits for the vectors. Never
// call it from an HTTP I/O thread.

#include "gateway/gateway.h"
#include "rag/chunker.h"
#include "rag/embedder.h"

#include <string>

namespace tiergate::gateway {

class gateway_embedder final : public rag::embedder {
  public:
    // `count`: the model's tokens of a text (its tokenizer for a local model,
    // an estimate for a remote one). The gateway is bound once it exists (it
    // is built with the knowledge layer this embedder serves).
    gateway_embedder(std::string model, bool on_prem, rag::token_counter count, size_t batch = 32);
    void bind(gateway & g) { gateway_ = &g; }

    const std::string & model() const override { return model_; }
    result<std::vector<std::vector<float>>> embed(const std::vector<std::string> & texts,
                                                  const knowledge_caller & caller) override;
    size_t count_tokens(std::string_view text) const override { return count_(text); }
    size_t batch_size() const override { return batch_; }
    bool on_prem() const override { return on_prem_; }

  private:
    gateway * gateway_ = nullptr;
    std::string model_;
    bool on_prem_;
    rag::token_counter count_;
    size_t batch_;
};

}  // namespace tiergate::gateway
