#include "auth/key_verifier.h"

#include <sys/stat.h>

#include <cstring>

#include "auth/key_time.h"

namespace tiergate::auth {

namespace {

error unauthenticated(std::string message, std::string code) {
    return {error_kind::authentication, std::move(message), "", std::move(code), {}};
}

std::pair<uint64_t, uint64_t> file_identity(const std::filesystem::path & path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return {0, 0};
    }
    return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char a = text[i];
        char b = prefix[i];
        if (a >= 'A' && a <= 'Z') {
            a = static_cast<char>(a - 'A' + 'a');
        }
        if (a != b) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

std::size_t key_verifier::hash_of_hash::operator()(const key_hash & h) const noexcept {
    std::size_t out = 0;
    std::memcpy(&out, h.data(), sizeof out);  // SHA-256 bytes are already uniform
    return out;
}

key_verifier::key_verifier(std::unique_ptr<key_store> store, std::filesystem::path path, verifier_options options)
    : path_(std::move(path)), options_(options), table_(std::make_shared<const key_table>()), store_(std::move(store)) {}

result<std::unique_ptr<key_verifier>> key_verifier::open(const std::filesystem::path & store_path,
                                                        verifier_options options) {
    auto store = key_store::open(store_path);
    if (!store) {
        return store.err();
    }
    std::unique_ptr<key_verifier> verifier(new key_verifier(std::move(*store), store_path, options));
    {
        std::lock_guard lock(verifier->store_mutex_);
        if (auto loaded = verifier->reload(); !loaded) {
            return loaded.err();
        }
    }
    if (options.refresh_interval.count() > 0) {
        verifier->watcher_ = std::jthread([v = verifier.get()](std::stop_token stop) { v->watch(stop); });
    }
    return verifier;
}

key_verifier::~key_verifier() {
    if (watcher_.joinable()) {
        watcher_.request_stop();
        wake_.notify_all();
        watcher_.join();
    }
}

result<std::monostate> key_verifier::reload() {
    auto version = store_->data_version();
    if (!version) {
        return version.err();
    }
    auto records = store_->load_all();
    if (!records) {
        return records.err();
    }
    auto table = std::make_shared<key_table>();
    table->reserve(records->size());
    for (auto & record : *records) {
        auto identity = std::make_shared<key_identity>();
        identity->key_id = std::move(record.id);
        identity->team = std::move(record.team);
        identity->scope = std::move(record.scope);
        identity->role = record.role;
        identity->expires_at = record.expires_at;
        identity->revoked_at = record.revoked_at;
        table->emplace(record.hash, std::move(identity));
    }
    {
        std::lock_guard lock(table_mutex_);
        table_ = std::move(table);
    }
    version_ = *version;
    file_id_ = file_identity(path_);
    return std::monostate{};
}

result<bool> key_verifier::refresh() {
    std::lock_guard lock(store_mutex_);
    auto current_file = file_identity(path_);
    if (current_file != file_id_ && current_file != std::pair<uint64_t, uint64_t>{0, 0}) {
        // The file was replaced: read the new one through a new connection.
        auto reopened = key_store::open(path_);
        if (!reopened) {
            return reopened.err();
        }
        store_ = std::move(*reopened);
        if (auto loaded = reload(); !loaded) {
            return loaded.err();
        }
        if (changed_) {
            changed_();
        }
        return true;
    }
    auto version = store_->data_version();
    if (!version) {
        return version.err();
    }
    if (*version == version_) {
        return false;
    }
    if (auto loaded = reload(); !loaded) {
        return loaded.err();
    }
    if (changed_) {
        changed_();
    }
    return true;
}

void key_verifier::on_change(std::function<void()> fn) {
    std::lock_guard lock(store_mutex_);
    changed_ = std::move(fn);
}

void key_verifier::watch(std::stop_token stop) {
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(wake_mutex_);
            wake_.wait_for(lock, stop, options_.refresh_interval, [] { return false; });
        }
        if (stop.stop_requested()) {
            return;
        }
        // A failed refresh keeps the last good snapshot; the next tick retries.
        (void) refresh();
    }
}

std::shared_ptr<const key_verifier::key_table> key_verifier::snapshot() const {
    std::lock_guard lock(table_mutex_);
    return table_;
}

std::size_t key_verifier::key_count() const { return snapshot()->size(); }

result<std::shared_ptr<const key_identity>> key_verifier::authenticate(std::string_view authorization,
                                                                      std::chrono::system_clock::time_point now) const {
    std::string_view value = trim(authorization);
    if (value.empty() || (value.size() == 6 && iequals_prefix(value, "bearer"))) {
        return unauthenticated(
            "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer <key>'.",
            "missing_api_key");
    }
    if (!iequals_prefix(value, "bearer ")) {
        return unauthenticated("The Authorization header must have the form 'Bearer <key>'.", "invalid_api_key");
    }
    return authenticate_key(trim(value.substr(7)), now);
}

result<std::shared_ptr<const key_identity>> key_verifier::authenticate_key(
    std::string_view key, std::chrono::system_clock::time_point now) const {
    if (key.empty()) {
        return unauthenticated("You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
                               "missing_api_key");
    }
    if (!looks_like_api_key(key)) {
        return unauthenticated("Incorrect API key provided. Keys are issued with `tiergate keys create`.",
                               "invalid_api_key");
    }
    std::shared_ptr<const key_table> table = snapshot();
    auto it = table->find(hash_api_key(key));
    if (it == table->end()) {
        return unauthenticated("Incorrect API key provided. Keys are issued with `tiergate keys create`.",
                               "invalid_api_key");
    }
    const key_identity & identity = *it->second;
    if (identity.revoked_at) {
        return unauthenticated("The API key " + identity.key_id + " was revoked at " + format_utc(*identity.revoked_at) +
                                   ".",
                               "key_revoked");
    }
    if (identity.expires_at && *identity.expires_at <= unix_seconds(now)) {
        return unauthenticated("The API key " + identity.key_id + " expired at " + format_utc(*identity.expires_at) + ".",
                               "key_expired");
    }
    return it->second;
}

result<std::monostate> check_scope(const key_identity & identity, std::string_view model, config::model_tier tier) {
    if (!identity.scope.allows_model(model)) {
        return error{error_kind::permission,
                     "The API key " + identity.key_id + " (team " + identity.team + ") may not use model '" +
                         std::string(model) + "' (allowed: " + identity.scope.describe() + ").",
                     "model", "model_not_allowed", {}};
    }
    if (!identity.scope.allows_tier(tier)) {
        return error{error_kind::permission,
                     "The API key " + identity.key_id + " (team " + identity.team + ") may not use " +
                         config::to_string(tier) + "-tier models such as '" + std::string(model) +
                         "' (allowed: " + identity.scope.describe() + ").",
                     "model", "tier_not_allowed", {}};
    }
    return std::monostate{};
}

}  // namespace tiergate::auth
