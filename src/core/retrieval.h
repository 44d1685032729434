#pragma once
// Retrieval as the request path sees it: what a call asks for (in
// chat_types.h), the passages a knowledge layer finds for it, and the
// interface to that layer. The gateway adds the passages to the prompt and
// the citations to the answer; the knowledge layer (rag) answers the search.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::auth {
struct key_identity;
}

namespace tiergate {

// Whom knowledge work is done for: it sees the collections of `team`, and
// the embedding it needs is charged to `who` in the budgets and the ledger
// (null: the keyless default, or the operator's command line).
struct knowledge_caller {
    std::string team;
    std::shared_ptr<const auth::key_identity> who;
    std::string request_id;  // of the request the work is part of; empty: none
};

// Where a passage came from: shown to the client as a citation, recorded in
// the ledger by collection and chunk id (never the text).
struct citation {
    int index = 0;  // the passage's number in the prompt: [1], [2], ...
    std::string collection;
    std::string document_id;
    std::string file_id;  // empty when the document did not come from a file
    std::string filename;
    std::string title;
    int64_t chunk_id = 0;
    int64_t start = 0;  // byte offsets of the chunk in its document's text
    int64_t end = 0;
    double score = 0;  // 0..1
};

struct retrieved_passage {
    citation source;
    std::string text;
};

struct retrieved_context {
    std::vector<retrieved_passage> passages;  // best first
    // Collections marked on-prem only that the passages came from: the call
    // may then be served by on-prem models only.
    std::vector<std::string> on_prem_collections;
};

// Collections a call searches without naming them: the administrator's
// policy per virtual key, team or requested model name (first match in that
// order). A call that names collections itself keeps its own.
struct retrieval_attachments {
    std::map<std::string, retrieval_request> by_key, by_team, by_model;

    const retrieval_request * for_call(const std::string & key_id, const std::string & team,
                                       const std::string & requested_model) const {
        for (const auto * m : {&by_key, &by_team, &by_model}) {
            const std::string & name = m == &by_key ? key_id : m == &by_team ? team : requested_model;
            if (auto it = m->find(name); it != m->end()) {
                return &it->second;
            }
        }
        return nullptr;
    }
    bool empty() const { return by_key.empty() && by_team.empty() && by_model.empty(); }
};

// Searches the caller's team's collections. `done` may run on another
// thread, once; an unknown collection or one of another team is not_found.
class context_source {
  public:
    virtual ~context_source() = default;
    virtual void retrieve(const knowledge_caller & caller, const retrieval_request & request,
                          const std::string & query, std::function<void(result<retrieved_context>)> done) = 0;
};

}  // namespace tiergate
