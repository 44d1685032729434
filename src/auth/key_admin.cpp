#include "auth/key_admin.h"

#include <algorithm>

#include "auth/key_material.h"
#include "auth/key_time.h"

namespace tiergate::auth {

namespace {

std::string join(const std::vector<std::string> & items) {
    std::string out;
    for (const auto & item : items) {
        out += out.empty() ? item : "," + item;
    }
    return out.empty() ? "*" : out;
}

std::string pad(const std::string & text, std::size_t width) {
    return text.size() >= width ? text + "  " : text + std::string(width - text.size() + 2, ' ');
}

}  // namespace

std::vector<std::string> split_list(const std::string & text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string item = text.substr(start, end - start);
        auto first = item.find_first_not_of(" \t");
        auto last = item.find_last_not_of(" \t");
        if (first != std::string::npos) {
            out.push_back(item.substr(first, last - first + 1));
        }
        start = end + 1;
    }
    return out;
}

result<key_scope> build_scope(const std::vector<std::string> & models, const std::vector<std::string> & tiers,
                              const config::config * known) {
    key_scope scope;
    for (const auto & model : models) {
        std::string name = model;
        if (known != nullptr) {
            const config::model_config * found = known->find_model(model);
            if (found == nullptr) {
                return error::invalid("unknown model \"" + model + "\" (not in " + known->source + ")", "models");
            }
            name = found->name;
        }
        if (std::find(scope.models.begin(), scope.models.end(), name) == scope.models.end()) {
            scope.models.push_back(name);
        }
    }
    for (const auto & tier : tiers) {
        auto parsed = config::parse_model_tier(tier);
        if (!parsed) {
            return error::invalid("unknown tier \"" + tier + "\" (expected one of: " + config::model_tier_choices() + ")",
                                  "tiers");
        }
        if (std::find(scope.tiers.begin(), scope.tiers.end(), *parsed) == scope.tiers.end()) {
            scope.tiers.push_back(*parsed);
        }
    }
    return scope;
}

result<created_key> create_key(key_store & store, const create_key_request & request,
                               std::chrono::system_clock::time_point now, const config::config * known) {
    if (request.team.empty()) {
        return error::invalid("a key belongs to a team: pass --team", "team");
    }
    if (!request.expires.empty() && !request.ttl.empty()) {
        return error::invalid("pass either --expires or --ttl, not both", "expires");
    }
    int64_t now_s = unix_seconds(now);
    key_record record;
    record.team = request.team;
    record.created_at = now_s;
    auto scope = build_scope(request.models, request.tiers, known);
    if (!scope) {
        return scope.err();
    }
    record.scope = std::move(*scope);
    record.role = request.role;
    if (!request.expires.empty()) {
        auto expires = parse_expiry(request.expires);
        if (!expires) {
            return expires.err();
        }
        if (*expires <= now_s) {
            return error::invalid("expiry " + format_utc(*expires) + " is in the past", "expires");
        }
        record.expires_at = *expires;
    } else if (!request.ttl.empty()) {
        auto ttl = parse_ttl_seconds(request.ttl);
        if (!ttl) {
            return ttl.err();
        }
        record.expires_at = now_s + *ttl;
    }
    auto id = generate_key_id();
    if (!id) {
        return id.err();
    }
    auto key = generate_api_key();
    if (!key) {
        return key.err();
    }
    record.id = *id;
    record.prefix = key_display_prefix(*key);
    record.hash = hash_api_key(*key);
    if (auto stored = store.insert(record); !stored) {
        return stored.err();
    }
    return created_key{std::move(*key), std::move(record)};
}

result<key_record> change_key(key_store & store, const std::string & id, const change_key_request & change,
                              const config::config * known) {
    auto records = store.load_all();
    if (!records) {
        return records.err();
    }
    auto found = std::find_if(records->begin(), records->end(), [&](const key_record & r) { return r.id == id; });
    if (found == records->end()) {
        return error{error_kind::not_found, "no key with id " + id, "id", "key_not_found", {}};
    }
    key_record record = *found;
    if (change.team) {
        if (change.team->empty()) {
            return error::invalid("a key belongs to a team: team must not be empty", "team");
        }
        record.team = *change.team;
    }
    if (change.models || change.tiers) {
        std::vector<std::string> models = record.scope.models;
        std::vector<std::string> tiers;
        for (auto tier : record.scope.tiers) {
            tiers.emplace_back(config::to_string(tier));
        }
        auto scope = build_scope(change.models.value_or(models), change.tiers.value_or(tiers), known);
        if (!scope) {
            return scope.err();
        }
        record.scope = std::move(*scope);
    }
    if (change.role) {
        record.role = *change.role;
    }
    if (auto stored = store.update(id, record.team, record.scope, record.role); !stored) {
        return stored.err();
    }
    return record;
}

result<std::monostate> revoke_key(key_store & store, const std::string & id, std::chrono::system_clock::time_point now) {
    return store.revoke(id, unix_seconds(now));
}

std::string format_key_list(const std::vector<key_record> & records, std::chrono::system_clock::time_point now) {
    struct row {
        std::string id, prefix, team, role, models, tiers, expires, status;
    };
    std::vector<row> rows;
    rows.push_back({"ID", "PREFIX", "TEAM", "ROLE", "MODELS", "TIERS", "EXPIRES", "STATUS"});
    int64_t now_s = unix_seconds(now);
    for (const auto & r : records) {
        std::vector<std::string> tiers;
        for (auto tier : r.scope.tiers) {
            tiers.emplace_back(config::to_string(tier));
        }
        std::string status = "active";
        if (r.revoked_at) {
            status = "revoked " + format_utc(*r.revoked_at);
        } else if (r.expires_at && *r.expires_at <= now_s) {
            status = "expired";
        }
        rows.push_back({r.id, r.prefix + "...", r.team, std::string(to_string(r.role)), join(r.scope.models), join(tiers),
                        r.expires_at ? format_utc(*r.expires_at) : "never", status});
    }
    std::size_t w[7] = {};
    for (const auto & r : rows) {
        const std::string * cols[7] = {&r.id, &r.prefix, &r.team, &r.role, &r.models, &r.tiers, &r.expires};
        for (int i = 0; i < 7; ++i) {
            w[i] = std::max(w[i], cols[i]->size());
        }
    }
    std::string out;
    for (const auto & r : rows) {
        out += pad(r.id, w[0]) + pad(r.prefix, w[1]) + pad(r.team, w[2]) + pad(r.role, w[3]) + pad(r.models, w[4]) +
               pad(r.tiers, w[5]) + pad(r.expires, w[6]) + r.status + "\n";
    }
    return out;
}

}  // namespace tiergate::auth
