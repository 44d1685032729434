#pragma once
// The retrieval store on PostgreSQL, for several gateways answering from one
// corpus: the same tables as on SQLite (prefixed rag_), full text in a
// generated tsvector column (`english`, title weighted A, text B) under a GIN
// index, ranked by ts_rank times each term's IDF over the searched
// collections, vectors as bytea, and the change log each gateway's HNSW
// index follows. One connection behind a mutex, opened again when lost.

#include "rag/store.h"

#include <memory>
#include <string>

namespace tiergate::rag {

class pg_store final : public store {
  public:
    // A postgresql:// URL; the tables are created when missing.
    static result<std::unique_ptr<pg_store>> open(const std::string & url);
    ~pg_store() override;
    pg_store(const pg_store &) = delete;
    pg_store & operator=(const pg_store &) = delete;

    const char * backend() const override { return "postgresql"; }
    const std::string & path() const override;

    result<collection_info> create_collection(collection_info info) override;
    result<collection_info> collection(const std::string & id) const override;
    result<std::vector<collection_info>> collections(const std::optional<std::string> & team) const override;
    result<bool> delete_collection(const std::string & id) override;
    result<bool> rename_collection(const std::string & id, const std::string & name,
                                   const nlohmann::json & metadata) override;
    result<put_result> put_document(const document_info & doc, const std::vector<chunk_input> & chunks,
                                    const std::string & embedding_model) override;
    result<collection_change> delete_document(const std::string & collection, const std::string & doc_id) override;
    result<std::optional<document_info>> document(const std::string & collection,
                                                  const std::string & doc_id) const override;
    result<std::vector<document_info>> documents(const std::string & collection, size_t limit,
                                                 const std::string & after) const override;
    result<std::vector<std::string>> metadata_keys(const std::string & collection) const override;
    result<std::vector<scored_chunk>> search_bm25(const std::vector<std::string> & collections,
                                                  const std::vector<weighted_term> & terms, size_t limit,
                                                  const bm25_weights & weights = {}, size_t enough = 0) const override;
    result<std::vector<chunk_terms>> terms_of(const std::vector<int64_t> & ids) const override;
    result<std::vector<stored_chunk>> chunks(const std::vector<int64_t> & ids) const override;
    result<size_t> for_each_vector(const std::string & collection,
                                   const std::function<void(int64_t, std::span<const float>)> & visit) const override;
    result<size_t> vectors_of(const std::vector<int64_t> & ids,
                              const std::function<void(int64_t, std::span<const float>)> & visit) const override;
    result<int64_t> version(const std::string & collection) const override;
    result<std::optional<std::vector<collection_change>>> changes_since(const std::string & collection,
                                                                        int64_t version) const override;
    result<integrity_report> check_integrity(const std::string & collection) const override;

  private:
    struct impl;
    explicit pg_store(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::rag
