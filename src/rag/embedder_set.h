#pragma once
// The embedding models a knowledge layer has: a default (what new
// collections are embedded with) and others by model name, so that a
// collection embedded earlier with another model (the built-in lexical
// embedder, say) is still searched and extended with its own.

#include "core/error.h"
#include "rag/embedder.h"
#include "rag/store.h"

#include <string>
#include <vector>

namespace tiergate::rag {

class embedder_set {
  public:
    // Implicit: one model is a set of one.
    embedder_set(embedder & default_model) : models_{&default_model} {}  // NOLINT(google-explicit-constructor)

    // Another model; the first added under a name wins.
    void add(embedder & e) { models_.push_back(&e); }

    embedder & default_model() const { return *models_.front(); }

    // The collection's own model (for a collection not yet embedded, the
    // default, or for an on-prem-only one the first model served here); an
    // error naming the model when this gateway lacks it.
    result<embedder *> for_collection(const collection_info & c) const {
        if (c.embedding_model.empty()) {
            for (embedder * e : models_) {
                if (!c.on_prem_only || e->on_prem()) {
                    return e;
                }
            }
            return error::invalid("collection '" + c.name + "' is on-prem only and no embedding model here is",
                                  "model", "on_prem_only");
        }
        for (embedder * e : models_) {
            if (e->model() == c.embedding_model) {
                return e;
            }
        }
        return error::invalid("collection '" + c.name + "' was embedded with '" + c.embedding_model +
                                  "', which this gateway does not have (its embedding model is '" +
                                  models_.front()->model() + "')",
                              "model", "embedding_model_mismatch");
    }

  private:
    std::vector<embedder *> models_;
};

}  // namespace tiergate::rag
