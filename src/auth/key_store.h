#pragma once
// The key store: one SQLite file (table api_keys). `tiergate keys` writes it;
// the server's key_verifier reads it and notices changes made by other
// processes through SQLite's data_version. One key_store per thread.

#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "auth/key_record.h"
#include "core/error.h"

struct sqlite3;

namespace tiergate::auth {

class key_store {
  public:
    // Creates the file (mode 0600) and its table when missing.
    static result<std::unique_ptr<key_store>> open(const std::filesystem::path & path);
    ~key_store();
    key_store(const key_store &) = delete;
    key_store & operator=(const key_store &) = delete;

    const std::filesystem::path & path() const { return path_; }

    result<std::monostate> insert(const key_record & record);
    result<std::vector<key_record>> load_all();
    // not_found when no key has this id; revoking twice keeps the first time.
    result<std::monostate> revoke(const std::string & id, int64_t now);
    // Replaces a key's team, scope and role; not_found when no key has this id.
    result<std::monostate> update(const std::string & id, const std::string & team, const key_scope & scope,
                                  key_role role);
    // Changes whenever another connection commits a change to the file.
    result<int64_t> data_version();

  private:
    key_store(sqlite3 * db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
    error sql_error(const std::string & what) const;
    result<std::monostate> exec(const char * sql);
    result<bool> has_column(const char * name);

    sqlite3 * db_ = nullptr;
    std::filesystem::path path_;
};

}  // namespace tiergate::auth
