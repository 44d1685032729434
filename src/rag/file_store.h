#pragma once
// Uploaded files and their attachments to collections, beside the retrieval
// store (the same SQLite file, or the same PostgreSQL database): a file's
// bytes are kept as uploaded (for re-reading and re-ingestion), an
// attachment records which documents a file became in a collection and the
// attributes given with it. Deleting a collection deletes its attachments
// (a foreign key); deleting a file is the caller's to follow with detaching
// it everywhere. Implementations are thread-safe.

#include "core/error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tiergate::rag {

struct file_info {
    std::string id;
    std::string filename;
    std::string purpose;
    std::string team;  // empty: no team
    int64_t bytes = 0;
    int64_t created_ms = 0;
};

struct attachment {
    std::string collection;
    std::string file_id;
    nlohmann::json attributes = nlohmann::json::object();
    std::vector<std::string> documents;  // the document ids the file became
    int64_t bytes = 0;                   // of the text ingested
    int64_t created_ms = 0;
    std::string status = "completed";    // completed | failed
    std::string last_error;              // when failed
};

class file_store {
  public:
    // Beside the retrieval store at `location` (a SQLite path or a
    // postgresql:// URL), whose collections table it refers to.
    static result<std::unique_ptr<file_store>> open(const std::string & location);
    virtual ~file_store() = default;

    virtual result<file_info> put(file_info info, const std::string & content) = 0;
    virtual result<std::optional<file_info>> file(const std::string & id) const = 0;
    virtual result<std::optional<std::string>> content(const std::string & id) const = 0;
    // In id order after `after`, at most `limit`; of one team, and of one purpose unless empty.
    virtual result<std::vector<file_info>> files(const std::string & team, const std::string & purpose, size_t limit,
                                                 const std::string & after = {}) const = 0;
    virtual result<bool> remove(const std::string & id) = 0;  // false when there was none

    virtual result<attachment> attach(attachment a) = 0;  // replaces an earlier attachment of the file
    virtual result<std::optional<attachment>> attachment_of(const std::string & collection,
                                                            const std::string & file_id) const = 0;
    virtual result<std::vector<attachment>> attachments(const std::string & collection, size_t limit,
                                                        const std::string & after = {}) const = 0;
    // The collections a file is attached to.
    virtual result<std::vector<std::string>> collections_of(const std::string & file_id) const = 0;
    virtual result<bool> detach(const std::string & collection, const std::string & file_id) = 0;
};

}  // namespace tiergate::rag
