#pragma once
// What `tiergate keys create|list|revoke` do, as functions.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "auth/key_record.h"
#include "auth/key_store.h"
#include "config/config.h"
#include "core/error.h"

namespace tiergate::auth {

struct create_key_request {
    std::string team;
    std::vector<std::string> models;  // empty: any model
    std::vector<std::string> tiers;   // slm | mid | frontier; empty: any tier
    std::string expires;              // YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; empty: see ttl
    std::string ttl;                  // 30d, 12h ...; empty: never expires (if expires is empty too)
    key_role role = key_role::user;
};

// What changes on an existing key; an absent field stays as it is.
struct change_key_request {
    std::optional<std::string> team;
    std::optional<std::vector<std::string>> models;
    std::optional<std::vector<std::string>> tiers;
    std::optional<key_role> role;
};

struct created_key {
    std::string key;  // the only time the key exists outside its holder's hands
    key_record record;
};

// When `known` is given, model names must be names or aliases in it (aliases
// are stored as the model's canonical name).
result<created_key> create_key(key_store & store, const create_key_request & request,
                               std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
                               const config::config * known = nullptr);

// The scope of model names (checked against `known` when given) and tier names.
result<key_scope> build_scope(const std::vector<std::string> & models, const std::vector<std::string> & tiers,
                              const config::config * known = nullptr);

// Re-scopes a key; returns the key as it is now. not_found for an unknown id.
result<key_record> change_key(key_store & store, const std::string & id, const change_key_request & change,
                              const config::config * known = nullptr);

result<std::monostate> revoke_key(key_store & store, const std::string & id,
                                  std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// A table: ID PREFIX TEAM ROLE MODELS TIERS EXPIRES STATUS; never any key.
std::string format_key_list(const std::vector<key_record> & records,
                            std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// "a, b,c" -> {"a","b","c"}; empty items dropped.
std::vector<std::string> split_list(const std::string & text);

}  // namespace tiergate::auth
