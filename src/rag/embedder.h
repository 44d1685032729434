#pragma once
// What retrieval needs from an embedding model: vectors for texts, and its
// token count for chunking. Implementations: the built-in lexical hash
// embedder, and the gateway's own embedding path (any configured model,
// budgeted and recorded in the ledger for the caller).

#include "core/error.h"
#include "core/retrieval.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::rag {

class embedder {
  public:
    virtual ~embedder() = default;
    virtual const std::string & model() const = 0;
    // Vectors of the texts, in order, each scaled to unit length by the
    // caller; the work is done for (and charged to) `caller`.
    virtual result<std::vector<std::vector<float>>> embed(const std::vector<std::string> & texts,
                                                          const knowledge_caller & caller) = 0;
    // Tokens of a text as the model counts them (for chunk sizes).
    virtual size_t count_tokens(std::string_view text) const = 0;
    // The most texts one embed() call should carry.
    virtual size_t batch_size() const { return 32; }
    // Whether the texts stay on the premises (a model served here), as the
    // text of an on-prem-only collection must.
    virtual bool on_prem() const { return true; }
};

}  // namespace tiergate::rag
