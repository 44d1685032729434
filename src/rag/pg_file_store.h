#pragma once
// Files and attachments in the retrieval store's PostgreSQL database
// (tables rag_files and rag_attachments; a file's bytes as bytea), on a
// connection of their own.

#include "rag/file_store.h"

namespace tiergate::rag {

class pg_file_store final : public file_store {
  public:
    static result<std::unique_ptr<pg_file_store>> open(const std::string & url);
    ~pg_file_store() override;
    pg_file_store(const pg_file_store &) = delete;
    pg_file_store & operator=(const pg_file_store &) = delete;

    result<file_info> put(file_info info, const std::string & content) override;
    result<std::optional<file_info>> file(const std::string & id) const override;
    result<std::optional<std::string>> content(const std::string & id) const override;
    result<std::vector<file_info>> files(const std::string & team, const std::string & purpose, size_t limit,
                                         const std::string & after) const override;
    result<bool> remove(const std::string & id) override;
    result<attachment> attach(attachment a) override;
    result<std::optional<attachment>> attachment_of(const std::string & collection,
                                                    const std::string & file_id) const override;
    result<std::vector<attachment>> attachments(const std::string & collection, size_t limit,
                                                const std::string & after) const override;
    result<std::vector<std::string>> collections_of(const std::string & file_id) const override;
    result<bool> detach(const std::string & collection, const std::string & file_id) override;

  private:
    struct impl;
    explicit pg_file_store(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::rag
