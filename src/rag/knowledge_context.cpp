#include "rag/knowledge_context.h"

#include <set>

#include "core/utf8.h"

namespace tiergate::rag {

namespace {

constexpr size_t max_query_bytes = 16384;
constexpr size_t bytes_per_token = 4;  // the budget is in tokens; text is counted in bytes

// The first `n` bytes of `text`, not cut inside a character.
std::string prefix(const std::string & text, size_t n) {
    if (text.size() <= n) {
        return text;
    }
    return text.substr(0, complete_utf8_prefix(std::string_view(text).substr(0, n)));
}

}  // namespace

knowledge_context::knowledge_context(knowledge_base & kb, size_t threads, size_t queue)
    : kb_(kb), work_(threads, queue) {}

void knowledge_context::retrieve(const knowledge_caller & caller, const retrieval_request & request,
                                 const std::string & query, std::function<void(result<retrieved_context>)> done) {
    auto shared = std::make_shared<std::function<void(result<retrieved_context>)>>(std::move(done));
    const bool queued = work_.post([this, caller, request, query, shared] { (*shared)(find(caller, request, query)); });
    if (!queued) {
        (*shared)(error{error_kind::unavailable, "retrieval is busy; retry shortly", "", "overloaded", 1});
    }
}

result<retrieved_context> knowledge_context::find(const knowledge_caller & caller, const retrieval_request & request,
                                                  const std::string & query) {
    retrieved_context out;
    std::set<std::string> on_prem;
    for (const auto & id : request.collections) {
        // attached by policy: the administrator's choice, whatever the caller's team
        auto c = request.by_policy ? kb_.collection_any(id) : kb_.collection(caller.team, id);
        if (!c) {
            return c.err();
        }
        if (c->on_prem_only) {
            on_prem.insert(id);
        }
    }
    search_request s;
    s.collections = request.collections;
    s.query = prefix(query, max_query_bytes);
    s.top_k = static_cast<size_t>(std::max(1, request.k));
    s.score_threshold = request.score_threshold;
    if (!request.filters_json.empty()) {
        s.filters = nlohmann::json::parse(request.filters_json, nullptr, false);
        if (s.filters->is_discarded() || !s.filters->is_object()) {
            return error::invalid("'tiergate.retrieval.filters' must be an object", "tiergate.retrieval.filters",
                                  "invalid_type");
        }
    }
    auto hits = kb_.search(caller, std::move(s), request.by_policy);
    if (!hits) {
        if (hits.err().kind == error_kind::invalid_request && hits.err().param.rfind("tiergate", 0) != 0) {
            auto e = hits.err();
            e.param = "tiergate.retrieval." + (e.param.empty() ? std::string("filters") : e.param);
            return e;
        }
        return hits.err();
    }
    size_t budget = kb_.settings().context_tokens * bytes_per_token;
    std::set<std::string> used;
    for (auto & h : *hits) {
        if (budget == 0) {
            break;
        }
        retrieved_passage p;
        p.text = prefix(h.hit.chunk.text, budget);
        if (p.text.empty()) {
            break;
        }
        budget -= p.text.size();
        auto & c = p.source;
        c.index = static_cast<int>(out.passages.size()) + 1;
        c.collection = h.hit.chunk.collection;
        c.document_id = h.hit.chunk.doc_id;
        c.file_id = h.file_id;
        c.filename = h.filename;
        c.title = h.hit.chunk.title;
        c.chunk_id = h.hit.chunk.id;
        c.start = h.hit.chunk.begin;
        c.end = h.hit.chunk.end;
        c.score = h.relevance;
        used.insert(c.collection);
        out.passages.push_back(std::move(p));
    }
    for (const auto & id : used) {
        if (on_prem.count(id) != 0) {
            out.on_prem_collections.push_back(id);
        }
    }
    return out;
}

}  // namespace tiergate::rag
