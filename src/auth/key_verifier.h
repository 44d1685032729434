#pragma once
// Checks the API key of each request against the key store, without touching
// the disk: a SHA-256 and one hash-map lookup in an immutable snapshot.
// A watcher thread polls the store (SQLite data_version, and the file's
// identity) and swaps in a new snapshot when `tiergate keys` changed it, so
// a revoked key stops working within one refresh interval, without restart.
// A store that cannot be read (deleted, locked, damaged) leaves the last good
// snapshot in force; the watcher retries at the next tick.

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>

#include "auth/key_material.h"
#include "auth/key_role.h"
#include "auth/key_scope.h"
#include "auth/key_store.h"
#include "config/model_enums.h"
#include "core/error.h"

namespace tiergate::auth {

// Who is calling: what the rest of the request path (router, ledger) needs.
struct key_identity {
    std::string key_id;
    std::string team;
    key_scope scope;
    key_role role = key_role::user;
    std::optional<int64_t> expires_at;  // Unix seconds
    std::optional<int64_t> revoked_at;
};

struct verifier_options {
    // How often the watcher looks for changes; 0: no watcher (call refresh()).
    std::chrono::milliseconds refresh_interval{1000};
};

class key_verifier {
  public:
    // Opens (or creates) the store and loads every key; starts the watcher.
    static result<std::unique_ptr<key_verifier>> open(const std::filesystem::path & store_path,
                                                      verifier_options options = {});
    ~key_verifier();
    key_verifier(const key_verifier &) = delete;
    key_verifier & operator=(const key_verifier &) = delete;

    // `authorization` is the Authorization header value ("Bearer tg-..."),
    // empty when the header is absent. 401 (authentication) for a missing,
    // malformed, unknown, expired or revoked key. Never blocks, never throws.
    result<std::shared_ptr<const key_identity>> authenticate(
        std::string_view authorization,
        std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;
    // The same for a bare key (e.g. from an x-api-key header).
    result<std::shared_ptr<const key_identity>> authenticate_key(
        std::string_view key, std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

    // Re-reads the store if it changed; true when a new snapshot was loaded.
    // Called by the watcher; tests call it to skip the wait.
    result<bool> refresh();
    // Called (on the watcher's thread, or refresh()'s caller's) after each
    // re-read of a changed store, also when the change was to what else the
    // store file keeps (budgets set through the admin API). Empty: none.
    // It runs under the verifier's store lock: it must not call refresh().
    void on_change(std::function<void()> fn);
    std::size_t key_count() const;
    const std::filesystem::path & store_path() const { return path_; }

  private:
    struct hash_of_hash {
        std::size_t operator()(const key_hash & h) const noexcept;
    };
    using key_table = std::unordered_map<key_hash, std::shared_ptr<const key_identity>, hash_of_hash>;

    key_verifier(std::unique_ptr<key_store> store, std::filesystem::path path, verifier_options options);
    result<std::monostate> reload();
    void watch(std::stop_token stop);

    std::filesystem::path path_;
    verifier_options options_;
    std::shared_ptr<const key_table> snapshot() const;

    mutable std::mutex table_mutex_;  // held only to copy or swap the pointer
    std::shared_ptr<const key_table> table_;
    std::mutex store_mutex_;  // guards store_, version_, file_id_, changed_
    std::function<void()> changed_;
    std::unique_ptr<key_store> store_;
    int64_t version_ = -1;
    std::pair<uint64_t, uint64_t> file_id_{0, 0};  // device, inode
    std::mutex wake_mutex_;
    std::condition_variable_any wake_;
    std::jthread watcher_;
};

// 403 (permission) when the key may not use this model or tier.
result<std::monostate> check_scope(const key_identity & identity, std::string_view model, config::model_tier tier);

}  // namespace tiergate::auth
