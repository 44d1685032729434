#pragma once
// The knowledge base as the request path's context_source: a chat request's
// last user turn searched in the team's collections (hybrid, filters and a
// relevance threshold as the vector store search has them), the passages
// kept within `context_tokens`, on the source's own threads so that no HTTP
// I/O thread waits on SQLite or an index.

#include <memory>

#include "core/retrieval.h"
#include "core/work_queue.h"
#include "rag/knowledge_base.h"

namespace tiergate::rag {

class knowledge_context final : public context_source {
  public:
    explicit knowledge_context(knowledge_base & kb, size_t threads = 1, size_t queue = 64);

    // A full queue answers 503 at once.
    void retrieve(const knowledge_caller & caller, const retrieval_request & request, const std::string & query,
                  std::function<void(result<retrieved_context>)> done) override;

    // The search itself, on the calling thread.
    result<retrieved_context> find(const knowledge_caller & caller, const retrieval_request & request,
                                   const std::string & query);

  private:
    knowledge_base & kb_;
    work_queue work_;
};

}  // namespace tiergate::rag
