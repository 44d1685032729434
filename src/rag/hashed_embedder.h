#pragma once
// The built-in embedder, model name "tiergate-lexical-<dims>": a signed
// feature-hashing projection of a text's words and of the character 4-grams
// inside them, weighted 1 + log(tf). Its cosine similarity approximates the
// lexical similarity of two texts; it needs no model file and no network, so
// dense and hybrid search work on a fresh install. A neural embedding model
// (any configured GGUF or remote model) replaces it for semantic matching.

#include "rag/embedder.h"

namespace tiergate::rag {

class hashed_embedder final : public embedder {
  public:
    explicit hashed_embedder(uint32_t dims = 384);
    const std::string & model() const override { return model_; }
    result<std::vector<std::vector<float>>> embed(const std::vector<std::string> & texts,
                                                  const knowledge_caller & caller = {}) override;
    size_t count_tokens(std::string_view text) const override;
    size_t batch_size() const override { return 256; }

    std::vector<float> embed_one(std::string_view text) const;

  private:
    uint32_t dims_;
    std::string model_;
};

}  // namespace tiergate::rag
