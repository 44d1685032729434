#pragma once
// The retrieval store: collections, documents, chunks (text, offsets,
// metadata), an FTS5 index over the chunks (`porter unicode61`, ranked by
// bm25() with per-column weights) and each chunk's dense vector beside it,
// in one SQLite file. Re-ingesting a document replaces its chunks in one
// transaction; deleting removes chunks, vectors and FTS rows together.
// Every change bumps the collection's version, which the dense index files
// are checked against. Thread-safe (one connection behind a mutex, WAL).

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

struct put_result {
    document_info document;
    collection_change change;
};

class store {
  public:
    // Opens (creating if needed) the store file; ":memory:" for a private one.
    static result<std::unique_ptr<store>> open(const std::string & path);
    ~store();
    store(const store &) = delete;
    store & operator=(const store &) = delete;

    const std::string & path() const;

    result<collection_info> create_collection(collection_info info);
    result<collection_info> collection(const std::string & id) const;
    // All collections, or those of one team.
    result<std::vector<collection_info>> collections(const std::optional<std::string> & team = std::nullopt) const;
    result<bool> delete_collection(const std::string & id);  // false when it did not exist
    result<bool> rename_collection(const std::string & id, const std::string & name,
                                   const nlohmann::json & metadata);

    // Inserts or replaces a document and all its chunks atomically.
    result<put_result> put_document(const document_info & doc, const std::vector<chunk_input> & chunks,
                                    const std::string & embedding_model);
    // The change is empty (version 0) when there was no such document.
    result<collection_change> delete_document(const std::string & collection, const std::string & doc_id);
    result<std::optional<document_info>> document(const std::string & collection, const std::string & doc_id) const;
    // Documents in id order after `after`, at most `limit`.
    result<std::vector<document_info>> documents(const std::string & collection, size_t limit,
                                                 const std::string & after = {}) const;
    // The metadata keys any document of the collection has.
    result<std::vector<std::string>> metadata_keys(const std::string & collection) const;

    // BM25 over the chunks of the collections for an FTS5 MATCH expression.
    result<std::vector<scored_chunk>> search_bm25(const std::vector<std::string> & collections,
                                                  const std::string & match, size_t limit,
                                                  const bm25_weights & weights = {}) const;
    result<std::vector<stored_chunk>> chunks(const std::vector<int64_t> & ids) const;
    // Every stored vector of a collection (chunk id, values), in id order.
    result<size_t> for_each_vector(const std::string & collection,
                                   const std::function<void(int64_t, std::span<const float>)> & visit) const;
    result<int64_t> version(const std::string & collection) const;
    result<integrity_report> check_integrity(const std::string & collection) const;

  private:
    struct impl;
    explicit store(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::rag
