#pragma once
// The in-process answer cache: entries by exact digest, and per conversation
// digest the last user turns' vectors (the built-in lexical embedder) for a
// semantic match by cosine similarity that also keeps the question's
// numbers, negations and content words (salient_terms). A conversation of
// more than `index_from` turns (single-turn questions under one system
// prompt all share one) is searched through an HNSW index of its turns'
// vectors, the best `index_candidates` checked as a scan would; smaller
// ones are scanned. Bounded: at most `max_entries` (least recently used go
// first), `max_bucket` turns per conversation, a time to live, and answers
// up to `max_answer_bytes`. Thread-safe; a lookup holds the lock only to
// read the maps and search, never while embedding.

#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/salient_terms.h"
#include "core/answer_cache.h"
#include "rag/hashed_embedder.h"
#include "rag/hnsw_index.h"
#include "rag/inner_product.h"

namespace tiergate::cache {

// What one requested model name (a route: "auto", or a pinned model) changes.
struct route_cache_settings {
    std::optional<bool> semantic;
    std::optional<double> similarity;
};

struct answer_store_settings {
    std::chrono::seconds ttl{3600};
    size_t max_entries = 10000;
    bool semantic = true;
    double similarity = 0.85;  // cosine at or above which a last user turn matches
    std::map<std::string, route_cache_settings> routes;  // by requested model name
    size_t max_bucket = 1u << 20;  // entries sharing one conversation
    size_t max_answer_bytes = 256u << 10;
    uint32_t dims = 256;
    size_t index_from = 512;       // turns of one conversation past which it is indexed
    size_t index_candidates = 16;  // nearest turns an indexed lookup checks
};

class answer_store final : public answer_cache {
  public:
    using clock_fn = std::function<std::chrono::steady_clock::time_point()>;
    explicit answer_store(answer_store_settings settings, clock_fn now = {});

    std::optional<cache_hit> find(const std::string & team, const generation_call & call, cache_ticket & ticket) override;
    void keep(const cache_ticket & ticket, cached_answer answer) override;

    size_t size() const;
    const answer_store_settings & settings() const { return settings_; }

  private:
    struct entry {
        uint64_t label = 0;  // in its conversation's index
        std::string exact;
        std::string context;
        std::vector<float> vector;
        salient_terms terms;  // of the last user turn: a semantic match must keep them
        cached_answer answer;
        std::chrono::steady_clock::time_point expires;
    };
    using entry_ref = std::list<entry>::iterator;
    // The turns of one conversation; indexed once it is large.
    struct bucket {
        std::unordered_map<uint64_t, entry_ref> refs;  // by label
        std::unique_ptr<rag::hnsw_index> index;
        size_t removed = 0;  // from the index since it was built (hnswlib only marks them)
    };

    void erase_locked(entry_ref e);
    // Indexes the turn just added (lru_.end(): none), or the whole
    // conversation once it is large enough.
    void index_locked(bucket & b, entry_ref added);
    std::chrono::steady_clock::time_point now() const;

    answer_store_settings settings_;
    clock_fn now_;
    rag::hashed_embedder embedder_;
    rag::inner_product distance_;
    mutable std::mutex mu_;
    std::list<entry> lru_;  // most recently used first
    std::unordered_map<std::string, entry_ref> by_exact_;
    std::unordered_map<std::string, bucket> by_context_;
    uint64_t next_label_ = 1;
};

}  // namespace tiergate::cache
