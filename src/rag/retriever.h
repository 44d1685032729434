#pragma once
// Search over one or more collections: BM25 (the store's FTS5 index), dense
// (HNSW over the stored vectors, or exact), or hybrid (both fused by
// reciprocal rank), with metadata filters and a score threshold; the BM25
// query expanded by pseudo-relevance feedback when configured. Each
// collection's HNSW index is loaded from `<index_dir>/<collection>.hnsw`,
// brought up to the collection's version by the store's change log (so
// that gateways sharing one PostgreSQL store each follow the others'
// changes), and rebuilt from the stored vectors only when the log does not
// reach back far enough; this process's own ingestion keeps it in step
// through apply().

#include "core/error.h"
#include "rag/embedder_set.h"
#include "rag/hnsw_index.h"
#include "rag/query_expansion.h"
#include "rag/store.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tiergate::rag {

enum class search_mode { bm25, dense, hybrid };

result<search_mode> parse_search_mode(std::string_view name);
const char * search_mode_name(search_mode mode);

struct search_request {
    std::vector<std::string> collections;
    std::string query;
    search_mode mode = search_mode::hybrid;
    size_t top_k = 10;                     // 1..1000
    std::optional<nlohmann::json> filters;  // the OpenAI filter shape
    double score_threshold = 0;             // hits scoring below are dropped
    bool exact = false;                     // dense by brute force, not HNSW
    knowledge_caller caller;                // the query's embedding is done for them
};

struct search_hit {
    stored_chunk chunk;
    double score = 0;  // of the mode: -bm25, cosine, or the fused rank score
    std::optional<double> bm25;
    std::optional<double> dense;
};

struct retriever_settings {
    std::string index_dir;  // empty: indexes live in memory only
    hnsw_settings hnsw;
    // Tuned on the Cranfield development queries (docs/retrieval.md).
    bm25_weights weights{2.0, 1.0, 2.0, 0.5};
    feedback_settings feedback;
    double rrf_k = 60.0;
    double bm25_weight = 1.0;   // in the fusion
    // The built-in lexical embedder sees the words BM25 sees: a small
    // weight keeps hybrid at BM25's quality (docs/retrieval.md); a neural
    // embedding model's list weighs as much as BM25's.
    double dense_weight = 0.1;
    size_t candidates = 100;    // from each list before fusion and filters
};

// How the dense indexes came to be current, for tests and metrics.
struct index_stats {
    size_t builds = 0;   // from every stored vector
    size_t loads = 0;    // from a saved file
    size_t follows = 0;  // brought up to date from the change log
};

class retriever {
  public:
    // `models`: the query is embedded by each collection's own model.
    retriever(store & s, embedder_set models, retriever_settings settings = {});

    result<std::vector<search_hit>> search(const search_request & request);

    // Keeps a loaded index in step with a change; `added_vectors` are the
    // vectors of `change.added`, in order. An index that is not loaded, or
    // that missed a change, is left to be rebuilt on its next use.
    void apply(const collection_change & change, const std::vector<std::vector<float>> & added_vectors);
    // Drops a collection's index (after the collection is deleted).
    void forget(const std::string & collection);
    // Saves every loaded index that changed since it was saved.
    result<bool> flush();

    const retriever_settings & settings() const { return settings_; }
    index_stats stats() const;

  private:
    struct dense_entry {
        std::unique_ptr<hnsw_index> index;
        int64_t version = 0;
        int64_t created_ms = 0;  // of the collection it was built for
        bool dirty = false;
    };

    result<std::vector<scored_chunk>> dense_search(const collection_info & c, const std::vector<float> & query,
                                                   size_t k, bool exact);
    result<dense_entry *> index_for(const collection_info & c);
    // Applies the logged changes since the entry's version; false when the
    // log does not reach back that far.
    result<bool> catch_up(dense_entry & entry, const collection_info & c);
    // The metadata keys of the collection's documents (what filters may
    // name), read again when the collection has changed.
    result<std::vector<std::string>> metadata_keys(const collection_info & c);
    std::string index_path(const std::string & collection) const;

    store & store_;
    embedder_set models_;
    retriever_settings settings_;
    mutable std::mutex mu_;  // guards entries_, stats_ (and index rebuilds)
    std::map<std::string, dense_entry> entries_;
    std::map<std::string, std::pair<int64_t, std::vector<std::string>>> keys_;  // by collection: version, keys
    index_stats stats_;
};

}  // namespace tiergate::rag
