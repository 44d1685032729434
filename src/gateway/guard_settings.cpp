#include "gateway/guard_settings.h"

#include <re2/re2.h>

#include <algorithm>

#include "config/map_reader.h"

namespace tiergate::gateway {

namespace {

using config::config_errors;
using config::map_reader;
using config::presence;
using guard::entity_type;
using guard::policy_action;

std::string in_quotes(const std::string & s) { return "\"" + s + "\""; }

std::optional<policy_action> parse_action(const std::string & s) {
    for (auto a : {policy_action::allow, policy_action::redact, policy_action::pseudonymize, policy_action::on_prem_only,
                   policy_action::block}) {
        if (s == guard::to_string(a)) {
            return a;
        }
    }
    return std::nullopt;
}

guard::guard_policy read_policy(const YAML::Node & node, const std::string & path,
                                const std::vector<guard::custom_pattern> & customs, config_errors & errors) {
    guard::guard_policy out;
    if (!node.IsSequence()) {
        errors.add(config::pos_of(node), path, "expected a list of rules, got " + config::describe_value(node));
        return out;
    }
    for (size_t i = 0; i < node.size(); ++i) {
        const std::string rpath = path + "[" + std::to_string(i) + "]";
        map_reader in(node[i], rpath, errors);
        if (!in.valid()) {
            continue;
        }
        guard::policy_rule rule;
        if (auto action = in.string("action", presence::required)) {
            if (auto a = parse_action(action->value)) {
                rule.action = *a;
            } else {
                errors.add(action->pos, in.field_path("action"),
                           "expected allow | redact | pseudonymize | on_prem_only | block, got " + in_quotes(action->value));
            }
        }
        if (auto entities = in.string_list("entities")) {
            for (const auto & e : entities->value) {
                if (auto t = guard::parse_entity_type(e.value)) {
                    rule.entities.push_back(*t);
                    continue;
                }
                const bool custom = std::any_of(customs.begin(), customs.end(),
                                                [&](const guard::custom_pattern & c) { return c.name == e.value; });
                if (custom) {
                    rule.entities.push_back(entity_type::custom);
                    continue;
                }
                errors.add(e.pos, in.field_path("entities"),
                           "unknown entity type " + in_quotes(e.value) +
                               " (Presidio names such as PERSON, EMAIL_ADDRESS, US_SSN; API_KEY, PRIVATE_KEY, "
                               "SECRET_TOKEN; or a custom pattern's name)");
            }
        }
        if (auto score = in.number("min_score")) {
            if (score->value < 0 || score->value > 1) {
                errors.add(score->pos, in.field_path("min_score"), "must be between 0 and 1");
            } else {
                rule.min_score = static_cast<float>(score->value);
            }
        }
        in.finish();
        out.rules.push_back(std::move(rule));
    }
    return out;
}

template <class Check>
void read_assignments(map_reader & in, const char * key, std::map<std::string, std::string> & out, Check check) {
    auto node = in.node(key);
    if (!node) {
        return;
    }
    const std::string path = in.field_path(key);
    if (!node->IsMap()) {
        in.errors().add(config::pos_of(*node), path,
                        "expected a mapping of names to policy names, got " + config::describe_value(*node));
        return;
    }
    for (const auto & kv : *node) {
        auto name = config::read_string(kv.first, path, in.errors());
        auto policy = config::read_string(kv.second, path, in.errors());
        if (name && policy) {
            out[*name] = *policy;
            check(*policy, config::pos_of(kv.second), path + "." + *name);
        }
    }
}

std::vector<guard::custom_pattern> read_customs(const YAML::Node & node, const std::string & path,
                                                config_errors & errors) {
    std::vector<guard::custom_pattern> out;
    if (!node.IsSequence()) {
        errors.add(config::pos_of(node), path, "expected a list of patterns, got " + config::describe_value(node));
        return out;
    }
    for (size_t i = 0; i < node.size(); ++i) {
        const std::string ppath = path + "[" + std::to_string(i) + "]";
        map_reader in(node[i], ppath, errors);
        if (!in.valid()) {
            continue;
        }
        guard::custom_pattern p;
        if (auto name = in.string("name", presence::required)) {
            p.name = name->value;
            if (guard::parse_entity_type(p.name)) {
                p.type = *guard::parse_entity_type(p.name);  // a built-in type's name extends that type
            }
            if (p.name.empty()) {
                errors.add(name->pos, in.field_path("name"), "must not be empty");
            }
        }
        if (auto regex = in.string("regex", presence::required)) {
            RE2::Options options;
            options.set_log_errors(false);
            RE2 compiled(regex->value, options);
            if (!compiled.ok()) {
                errors.add(regex->pos, in.field_path("regex"), "invalid RE2 regular expression: " + compiled.error());
            } else if (compiled.Match("", 0, 0, RE2::UNANCHORED, nullptr, 0)) {
                errors.add(regex->pos, in.field_path("regex"), "the pattern matches the empty string");
            }
            p.regex = regex->value;
        }
        if (auto score = in.number("score")) {
            if (score->value < 0 || score->value > 1) {
                errors.add(score->pos, in.field_path("score"), "must be between 0 and 1");
            } else {
                p.score = static_cast<float>(score->value);
            }
        }
        in.finish();
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace

guard::guard_policy builtin_standard_policy() {
    guard::guard_policy p;
    p.rules.push_back({policy_action::block, {entity_type::private_key}, 0.0f});
    p.rules.push_back({policy_action::on_prem_only,
                       {entity_type::api_key, entity_type::secret_token, entity_type::credit_card, entity_type::iban_code,
                        entity_type::us_ssn, entity_type::us_driver_license},
                       0.0f});
    p.rules.push_back({policy_action::pseudonymize,
                       {entity_type::person, entity_type::street_address, entity_type::email_address,
                        entity_type::phone_number, entity_type::ip_address, entity_type::custom},
                       0.0f});
    return p;
}

guard::guard_policy on_prem_variant(const guard::guard_policy & policy) {
    guard::guard_policy out = policy;
    for (auto & rule : out.rules) {
        if (rule.action == policy_action::pseudonymize || rule.action == policy_action::on_prem_only) {
            rule.action = policy_action::allow;
        }
    }
    return out;
}

const guard::guard_policy & guard_settings::policy_for(const std::string & key_id, const std::string & team,
                                                       const std::string & requested_model, std::string * name,
                                                       const std::string & declared) const {
    const std::string * chosen = &default_policy;
    if (!declared.empty() && policies.count(declared) != 0) {
        chosen = &declared;
    } else if (auto it = by_key.find(key_id); !key_id.empty() && it != by_key.end()) {
        chosen = &it->second;
    } else if (auto it2 = by_team.find(team); !team.empty() && it2 != by_team.end()) {
        chosen = &it2->second;
    } else if (auto it3 = by_model.find(requested_model); it3 != by_model.end()) {
        chosen = &it3->second;
    }
    if (name != nullptr) {
        *name = *chosen;
    }
    auto it = policies.find(*chosen);
    return it != policies.end() ? it->second : policies.at("standard");
}

const guard::guard_policy & guard_settings::policy_named(const std::string & name) const {
    auto it = policies.find(name);
    return it != policies.end() ? it->second : policies.at("standard");
}

guard_settings read_guard_settings(const config::config & cfg, config::config_errors & errors) {
    guard_settings out;
    out.enabled = cfg.guard.enabled;
    out.policies["standard"] = builtin_standard_policy();
    const auto & section = cfg.guard.section;
    if (!section.present()) {
        return out;
    }
    map_reader in(section.node, section.path, errors);
    if (!in.valid()) {
        return out;
    }
    in.boolean("enabled");  // read by the config module
    if (auto customs = in.node("custom_patterns")) {
        out.custom_patterns = read_customs(*customs, in.field_path("custom_patterns"), errors);
    }
    if (auto policies = in.node("policies")) {
        const std::string path = in.field_path("policies");
        if (!policies->IsMap()) {
            errors.add(config::pos_of(*policies), path,
                       "expected a mapping of policy names to rule lists, got " + config::describe_value(*policies));
        } else {
            for (const auto & kv : *policies) {
                auto name = config::read_string(kv.first, path, errors);
                if (!name) {
                    continue;
                }
                out.policies[*name] = read_policy(kv.second, path + "." + *name, out.custom_patterns, errors);
            }
        }
    }
    auto check = [&](const std::string & policy, config::source_pos pos, const std::string & path) {
        if (!out.policies.count(policy)) {
            errors.add(pos, path, "unknown policy " + in_quotes(policy));
        }
    };
    if (auto policy = in.string("policy")) {
        out.default_policy = policy->value;
        check(policy->value, policy->pos, in.field_path("policy"));
    }
    read_assignments(in, "keys", out.by_key, check);
    read_assignments(in, "teams", out.by_team, check);
    read_assignments(in, "models", out.by_model, check);
    in.finish();
    return out;
}

}  // namespace tiergate::gateway
