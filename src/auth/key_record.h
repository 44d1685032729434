#pragma once
// One stored virtual key: never the key itself, only its SHA-256.

#include <cstdint>
#include <optional>
#include <string>

#include "auth/key_material.h"
#include "auth/key_role.h"
#include "auth/key_scope.h"

namespace tiergate::auth {

struct key_record {
    std::string id;       // key_0123456789abcdef
    std::string prefix;   // first characters of the key, for recognising it in lists
    key_hash hash{};      // SHA-256 of the key
    std::string team;
    key_scope scope;
    key_role role = key_role::user;
    int64_t created_at = 0;                // Unix seconds
    std::optional<int64_t> expires_at;     // Unix seconds; none: never
    std::optional<int64_t> revoked_at;     // Unix seconds; none: active
};

}  // namespace tiergate::auth
