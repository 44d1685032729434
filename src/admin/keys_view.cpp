#include "admin/keys_view.h"

namespace tiergate::admin {

namespace {

constexpr size_t max_text = 200;
constexpr size_t max_items = 100;

nlohmann::json ms_or_null(const std::optional<int64_t> & seconds) {
    return seconds ? nlohmann::json(*seconds * 1000) : nlohmann::json(nullptr);
}

result<std::string> text_field(const nlohmann::json & value, const std::string & field) {
    if (!value.is_string()) {
        return error::invalid(field + " must be a string", field, "invalid_field");
    }
    const auto & s = value.get_ref<const std::string &>();
    if (s.size() > max_text) {
        return error::invalid(field + " is longer than " + std::to_string(max_text) + " bytes", field, "invalid_field");
    }
    return s;
}

result<std::vector<std::string>> list_field(const nlohmann::json & value, const std::string & field) {
    if (!value.is_array() || value.size() > max_items) {
        return error::invalid(field + " must be a list of at most " + std::to_string(max_items) + " strings", field,
                              "invalid_field");
    }
    std::vector<std::string> out;
    for (const auto & item : value) {
        auto s = text_field(item, field);
        if (!s) {
            return s.err();
        }
        out.push_back(std::move(*s));
    }
    return out;
}

result<auth::key_role> role_field(const nlohmann::json & value) {
    auto s = text_field(value, "role");
    if (!s) {
        return s.err();
    }
    auto role = auth::parse_key_role(*s);
    if (!role) {
        return error::invalid("role must be one of " + std::string(auth::key_role_choices), "role", "invalid_field");
    }
    return *role;
}

error unknown_field(const std::string & field, const char * known) {
    return error::invalid("unknown field '" + field.substr(0, 64) + "' (known: " + known + ")", field.substr(0, 64),
                          "unknown_field");
}

}  // namespace

nlohmann::json key_json(const auth::key_record & r, int64_t now_ms, std::optional<int64_t> last_used_ms) {
    std::vector<std::string> tiers;
    for (auto tier : r.scope.tiers) {
        tiers.emplace_back(config::to_string(tier));
    }
    const char * status = r.revoked_at                                   ? "revoked"
                          : r.expires_at && *r.expires_at * 1000 <= now_ms ? "expired"
                                                                         : "active";
    return {{"id", r.id},
            {"prefix", r.prefix},
            {"team", r.team},
            {"role", auth::to_string(r.role)},
            {"models", r.scope.models},
            {"tiers", tiers},
            {"created_ms", r.created_at * 1000},
            {"expires_ms", ms_or_null(r.expires_at)},
            {"revoked_ms", ms_or_null(r.revoked_at)},
            {"status", status},
            {"last_used_ms", last_used_ms ? nlohmann::json(*last_used_ms) : nlohmann::json(nullptr)}};
}

nlohmann::json keys_view(const std::vector<auth::key_record> & records, int64_t now_ms,
                         const std::map<std::string, int64_t> & last_used) {
    nlohmann::json keys = nlohmann::json::array();
    for (const auto & r : records) {
        auto used = last_used.find(r.id);
        keys.push_back(key_json(r, now_ms, used == last_used.end() ? std::nullopt : std::optional(used->second)));
    }
    return {{"keys", keys}};
}

namespace {

// The fields a key body may hold; `expiry` only when creating.
result<std::monostate> read_key_fields(const nlohmann::json & body, bool expiry, auth::change_key_request & fields,
                                       std::string & ttl, std::string & expires) {
    const char * known = expiry ? "team, role, models, tiers, ttl, expires" : "team, role, models, tiers";
    for (const auto & [field, value] : body.items()) {
        if (field == "team" || (expiry && (field == "ttl" || field == "expires"))) {
            auto s = text_field(value, field);
            if (!s) {
                return s.err();
            }
            (field == "team" ? fields.team.emplace() : field == "ttl" ? ttl : expires) = std::move(*s);
        } else if (field == "models" || field == "tiers") {
            auto list = list_field(value, field);
            if (!list) {
                return list.err();
            }
            (field == "models" ? fields.models : fields.tiers) = std::move(*list);
        } else if (field == "role") {
            auto role = role_field(value);
            if (!role) {
                return role.err();
            }
            fields.role = *role;
        } else {
            return unknown_field(field, known);
        }
    }
    return std::monostate{};
}

}  // namespace

result<auth::create_key_request> create_request_from_json(const nlohmann::json & body) {
    if (!body.is_object()) {
        return error::invalid("the body must be a JSON object", "", "invalid_body");
    }
    auth::change_key_request fields;
    auth::create_key_request out;
    if (auto read = read_key_fields(body, true, fields, out.ttl, out.expires); !read) {
        return read.err();
    }
    out.team = fields.team.value_or("");
    out.models = fields.models.value_or(std::vector<std::string>{});
    out.tiers = fields.tiers.value_or(std::vector<std::string>{});
    out.role = fields.role.value_or(auth::key_role::user);
    return out;
}

result<auth::change_key_request> change_request_from_json(const nlohmann::json & body) {
    if (!body.is_object() || body.empty()) {
        return error::invalid("the body must be a JSON object with at least one of team, role, models, tiers", "",
                              "invalid_body");
    }
    auth::change_key_request out;
    std::string unused_ttl, unused_expires;
    if (auto read = read_key_fields(body, false, out, unused_ttl, unused_expires); !read) {
        return read.err();
    }
    return out;
}

}  // namespace tiergate::admin
