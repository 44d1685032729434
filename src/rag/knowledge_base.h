#pragma once
// The knowledge layer the gateway serves: uploaded files, collections
// (vector stores) of one team, files attached to collections (extracted,
// chunked, embedded and indexed), and search. Every call names the caller's
// team; a collection or file of another team does not exist for it. The
// dialect (OpenAI's files and vector stores) lives in the api module.

#include "core/error.h"
#include "rag/embedder_set.h"
#include "rag/file_store.h"
#include "rag/ingest.h"
#include "rag/retriever.h"
#include "rag/store.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tiergate::rag {

struct knowledge_settings {
    std::string store_path;        // a SQLite file or a postgresql:// URL
    std::string index_dir;         // where the HNSW indexes are saved; empty: <store_path>.index/ (SQLite only)
    uint32_t dims = 384;           // of the built-in embedder
    std::string embedding_model;   // a configured model new collections are embedded with; empty: the built-in one
    std::optional<double> dense_weight;  // of the dense list in hybrid search; default by the embedder (retriever.h)
    retrieval_attachments attached;      // collections searched without the call naming them
    size_t max_file_bytes = 32u << 20;
    size_t max_file_documents = 100000;  // lines of an uploaded JSON Lines file
    chunk_settings chunking;       // of a collection created without its own
    bool on_prem_only = false;     // of a collection created without saying
    size_t context_tokens = 1024;  // the most retrieved text a chat request gets
};

struct knowledge_hit {
    search_hit hit;
    // 0..1: the hybrid score over the best a chunk can score (first in both lists)
    double relevance = 0;
    std::string file_id;   // the file the chunk came from; empty when not from a file
    std::string filename;
};

struct file_counts {
    int64_t completed = 0;
    int64_t failed = 0;
};

class knowledge_base {
  public:
    // `model`: the embedding model of new collections (named by
    // settings.embedding_model); null: the built-in lexical embedder, which
    // stays available for the collections embedded with it.
    static result<std::unique_ptr<knowledge_base>> open(const knowledge_settings & settings,
                                                        std::unique_ptr<embedder> model = nullptr);
    // Saves the dense indexes.
    ~knowledge_base();

    // Checks the file is one ingestion reads (its name's format, UTF-8 text)
    // before it is kept, so a bad file is refused at upload, not later.
    result<file_info> upload(const std::string & team, const std::string & filename, const std::string & purpose,
                             std::string bytes);
    result<file_info> file(const std::string & team, const std::string & id) const;
    result<std::string> file_content(const std::string & team, const std::string & id) const;
    result<std::vector<file_info>> files(const std::string & team, const std::string & purpose, size_t limit,
                                         const std::string & after) const;
    // Also detaches the file from every collection.
    result<bool> delete_file(const std::string & team, const std::string & id);

    result<collection_info> create_collection(const std::string & team, const std::string & name,
                                              const nlohmann::json & metadata,
                                              const std::optional<chunk_settings> & chunking,
                                              std::optional<bool> on_prem_only = std::nullopt);
    result<collection_info> collection(const std::string & team, const std::string & id) const;
    result<std::vector<collection_info>> collections(const std::string & team) const;
    result<collection_info> update_collection(const std::string & team, const std::string & id,
                                              const std::optional<std::string> & name,
                                              const std::optional<nlohmann::json> & metadata);
    result<bool> delete_collection(const std::string & team, const std::string & id);
    result<file_counts> counts(const std::string & collection) const;

    // Ingests the file into the collection (replacing an earlier attachment
    // of it); `attributes` are merged into each document's metadata, where
    // search filters see them. The embedding is charged to the caller.
    result<attachment> attach(const knowledge_caller & caller, const std::string & collection,
                              const std::string & file_id, const nlohmann::json & attributes);
    result<attachment> attachment_of(const std::string & team, const std::string & collection,
                                     const std::string & file_id) const;
    result<std::vector<attachment>> attachments(const std::string & team, const std::string & collection, size_t limit,
                                                const std::string & after) const;
    result<bool> detach(const std::string & team, const std::string & collection, const std::string & file_id);

    // Hybrid search; `request.collections` are checked against the caller's
    // team (unless `any_team`: collections the administrator attached) and
    // `request.score_threshold` is a relevance (0..1).
    result<std::vector<knowledge_hit>> search(const knowledge_caller & caller, search_request request,
                                              bool any_team = false);
    // A collection whatever its team (the administrator's and the operator's view).
    result<collection_info> collection_any(const std::string & id) const;
    // Every collection of every team (the administrator's view).
    result<std::vector<collection_info>> all_collections() const;

    // The command line's ingestion: a collection by the id it is given
    // (created with `wanted`'s settings when missing), documents ingested
    // one by one (the embedding charged to the caller), the dense indexes
    // saved at the end.
    result<collection_info> ensure_collection(const collection_info & wanted);
    result<ingest_result> ingest(const knowledge_caller & caller, const std::string & collection, const document & d);
    result<bool> flush();
    // Search and check by collection id, whatever its team (the operator's view).
    result<std::vector<search_hit>> search_any(const knowledge_caller & caller, search_request request);
    result<integrity_report> check(const std::string & collection) const;

    // Every collection the settings attach exists, and those attached to a
    // team are that team's; an error naming the first that is not.
    result<bool> check_attachments() const;

    const knowledge_settings & settings() const { return settings_; }
    // Where the store is (credentials left out) and its backend, for logs.
    const std::string & store_location() const { return store_->path(); }
    const char * store_backend() const { return store_->backend(); }

  private:
    knowledge_base(knowledge_settings settings, std::unique_ptr<store> s, std::unique_ptr<file_store> f,
                   std::unique_ptr<embedder> lexical, std::unique_ptr<embedder> model);
    result<bool> detach_locked(const std::string & collection, const std::string & file_id);

    knowledge_settings settings_;
    std::unique_ptr<store> store_;
    std::unique_ptr<file_store> files_;
    std::unique_ptr<embedder> lexical_;  // the built-in one, always there
    std::unique_ptr<embedder> model_;    // the configured one, or null
    std::unique_ptr<retriever> retriever_;
    std::unique_ptr<ingester> ingester_;
    std::mutex changes_;  // attach and detach, one at a time
};

// The file a document of an attached file belongs to ("file-x" or "file-x#line-id").
std::string file_of_document(const std::string & doc_id);

}  // namespace tiergate::rag
