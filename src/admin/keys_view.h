#pragma once
// The keys as the admin API shows them (never the key, only its prefix),
// and the bodies it takes to create and change one.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/key_admin.h"
#include "auth/key_record.h"
#include "core/error.h"

namespace tiergate::admin {

// {id, prefix, team, role, models, tiers, created_ms, expires_ms, revoked_ms, status, last_used_ms}
nlohmann::json key_json(const auth::key_record & r, int64_t now_ms, std::optional<int64_t> last_used_ms);
nlohmann::json keys_view(const std::vector<auth::key_record> & records, int64_t now_ms,
                         const std::map<std::string, int64_t> & last_used);

// POST /admin/v1/keys: {team, role?, models?, tiers?, ttl? | expires?}
result<auth::create_key_request> create_request_from_json(const nlohmann::json & body);
// PATCH /admin/v1/keys/{id}: {team?, role?, models?, tiers?}
result<auth::change_key_request> change_request_from_json(const nlohmann::json & body);

}  // namespace tiergate::admin
