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

result<std::monostate> revoke_key(key_store & store, const std::string & id,
                                  std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// A table: ID PREFIX TEAM MODELS TIERS EXPIRES STATUS; never any key.
std::string format_key_list(const std::vector<key_record> & records,
                            std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// "a, b,c" -> {"a","b","c"}; empty items dropped.
std::vector<std::string> split_list(const std::string & text);

}  // namespace tiergate::auth
