#pragma once
// Ingestion of one document into a collection: chunked by the collection's
// settings with its embedding model's token counts, embedded in batches,
// stored (replacing any earlier version of the document in one
// transaction), and the retriever's dense index kept in step.

#include "core/error.h"
#include "rag/document.h"
#include "rag/embedder_set.h"
#include "rag/retriever.h"
#include "rag/store.h"

#include <string>

namespace tiergate::rag {

struct ingest_result {
    document_info document;
    size_t tokens = 0;  // embedded
};

class ingester {
  public:
    // `r` may be null (no dense index to keep in step).
    ingester(store & s, embedder_set models, retriever * r = nullptr) : store_(s), models_(std::move(models)), retriever_(r) {}

    // The embedding is done for (and charged to) `caller`.
    result<ingest_result> ingest(const std::string & collection, const document & doc,
                                 const knowledge_caller & caller = {});

  private:
    store & store_;
    embedder_set models_;
    retriever * retriever_;
};

// The text a chunk is embedded as: the document title, then the chunk.
std::string embedding_text(const std::string & title, std::string_view chunk);

}  // namespace tiergate::rag
