#pragma once
// The retrieval store: collections, documents, chunks (text, offsets,
// metadata), a full-text index over the chunks and each chunk's dense vector
// beside it. Two backends with one schema: SQLite (one file, FTS5 with the
// porter tokenizer, BM25 by tiergate_bm25; rag/sqlite_store.h) and
// PostgreSQL (tsvector and ts_rank, for several gateways on one corpus;
// rag/pg_store.h). Re-ingesting a document replaces its chunks in one
// transaction; deleting removes chunks, vectors and full-text rows together.
// Every change bumps the collection's version and is logged by version
// (which chunks went, which came), so that each process's dense index can
// follow the table instead of being rebuilt. Implementations are thread-safe.

#include "core/error.h"
#include "rag/chunker.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tiergate::rag {

struct collection_info {
    std::string id;
    std::string name;
    std::string team;  // empty: no team (the keyless default)
    int64_t created_ms = 0;
    chunk_settings chunking;
    bool on_prem_only = false;
    std::string embedding_model;  // what the vectors were made with
    uint32_t dims = 0;            // 0 until the first vectors arrive
    nlohmann::json metadata = nlohmann::json::object();
    int64_t documents = 0;
    int64_t chunks = 0;
    int64_t bytes = 0;
    int64_t version = 0;
};

struct document_info {
    std::string collection;
    std::string id;
    std::string title;
    std::string source;
    int64_t bytes = 0;
    int64_t chunks = 0;
    int64_t created_ms = 0;
    nlohmann::json metadata = nlohmann::json::object();
};

struct chunk_input {
    size_t begin = 0;
    size_t end = 0;
    std::string text;
    std::vector<float> vector;  // empty: no dense vector
};

struct stored_chunk {
    int64_t id = 0;
    std::string collection;
    std::string doc_id;
    int64_t ordinal = 0;
    int64_t begin = 0;
    int64_t end = 0;
    std::string title;
    std::string text;
    nlohmann::json metadata = nlohmann::json::object();  // the document's
};

struct scored_chunk {
    int64_t id = 0;
    double score = 0;  // higher is better
};

// BM25's parameters: column weights on the term frequency, k1 (term
// frequency saturation) and b (document length normalization).
struct bm25_weights {
    double title = 1.0;
    double text = 1.0;
    double k1 = 1.2;
    double b = 0.75;
};

// What a change did to a collection, for the dense indexes to follow.
struct collection_change {
    std::string collection;
    int64_t version = 0;  // the collection's version after the change
    std::vector<int64_t> removed;
    std::vector<int64_t> added;  // in the order of the chunks given
};

// What a consistency check of a collection found.
struct integrity_report {
    int64_t documents = 0;
    int64_t declared_chunks = 0;  // the documents' own chunk counts, summed
    int64_t stored_chunks = 0;
    int64_t vectors = 0;
    bool fts_consistent = false;  // FTS5's integrity-check of the index against the chunks
    bool ok() const { return declared_chunks == stored_chunks && fts_consistent; }
};

// A query term and its weight in the ranking (1 for a user's word; the
// expansion terms of pseudo-relevance feedback weigh less). A term that is
// not a candidate term adds to the score of the chunks the other terms
// find, but finds none by itself.
struct weighted_term {
    std::string text;  // a word as the user or a document wrote it
    double weight = 1.0;
    bool candidate = true;
};

// How often a chunk holds an indexed term (as the full-text index stems
// it), with one of the words of the chunk that the index stems to it: the
// word to search for the term with.
struct term_count {
    std::string term;
    std::string word;
    uint32_t count = 0;
};

// The indexed terms of one chunk, in order of first appearance.
struct chunk_terms {
    int64_t id = 0;
    size_t length = 0;  // terms in the chunk
    std::vector<term_count> counts;
};

struct put_result {
    document_info document;
    collection_change change;
};

class store {
  public:
    // A SQLite file (":memory:" for a private one, also "sqlite:PATH") or a
    // PostgreSQL URL ("postgresql://..."), its schema created when missing.
    static result<std::unique_ptr<store>> open(const std::string & location);
    virtual ~store() = default;

    // "sqlite" or "postgresql".
    virtual const char * backend() const = 0;
    // Where it is, without credentials: fit for logs and index file names.
    virtual const std::string & path() const = 0;

    virtual result<collection_info> create_collection(collection_info info) = 0;
    virtual result<collection_info> collection(const std::string & id) const = 0;
    // All collections, or those of one team.
    virtual result<std::vector<collection_info>> collections(
        const std::optional<std::string> & team = std::nullopt) const = 0;
    virtual result<bool> delete_collection(const std::string & id) = 0;  // false when it did not exist
    virtual result<bool> rename_collection(const std::string & id, const std::string & name,
                                           const nlohmann::json & metadata) = 0;

    // Inserts or replaces a document and all its chunks atomically.
    virtual result<put_result> put_document(const document_info & doc, const std::vector<chunk_input> & chunks,
                                            const std::string & embedding_model) = 0;
    // The change is empty (version 0) when there was no such document.
    virtual result<collection_change> delete_document(const std::string & collection, const std::string & doc_id) = 0;
    virtual result<std::optional<document_info>> document(const std::string & collection,
                                                          const std::string & doc_id) const = 0;
    // Documents in id order after `after`, at most `limit`.
    virtual result<std::vector<document_info>> documents(const std::string & collection, size_t limit,
                                                         const std::string & after = {}) const = 0;
    // The metadata keys any document of the collection has.
    virtual result<std::vector<std::string>> metadata_keys(const std::string & collection) const = 0;

    // Full-text ranking of the chunks of the collections that hold any of
    // the candidate terms, best first: BM25 with the weights on SQLite,
    // ts_rank with each term's IDF on PostgreSQL. At most `limit` hits; a
    // plan that reads far fewer rows may stop short of `limit` when it has
    // at least `enough` (0: `limit`), as the SQLite store's does.
    virtual result<std::vector<scored_chunk>> search_bm25(const std::vector<std::string> & collections,
                                                          const std::vector<weighted_term> & terms, size_t limit,
                                                          const bm25_weights & weights = {},
                                                          size_t enough = 0) const = 0;
    // The chunks' indexed terms (for query expansion), in the order of `ids`.
    virtual result<std::vector<chunk_terms>> terms_of(const std::vector<int64_t> & ids) const = 0;
    virtual result<std::vector<stored_chunk>> chunks(const std::vector<int64_t> & ids) const = 0;
    // Every stored vector of a collection (chunk id, values), in id order.
    virtual result<size_t> for_each_vector(const std::string & collection,
                                           const std::function<void(int64_t, std::span<const float>)> & visit) const = 0;
    // The vectors of those chunks that still exist and have one.
    virtual result<size_t> vectors_of(const std::vector<int64_t> & ids,
                                      const std::function<void(int64_t, std::span<const float>)> & visit) const = 0;
    virtual result<int64_t> version(const std::string & collection) const = 0;
    // The changes that took the collection from `version` to its current
    // version, in order; nullopt when the log no longer reaches back that far.
    virtual result<std::optional<std::vector<collection_change>>> changes_since(const std::string & collection,
                                                                                int64_t version) const = 0;
    virtual result<integrity_report> check_integrity(const std::string & collection) const = 0;
};

}  // namespace tiergate::rag
