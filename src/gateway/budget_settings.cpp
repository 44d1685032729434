#include "gateway/budget_settings.h"

#include "config/map_reader.h"

namespace tiergate::gateway {

namespace {

using config::config_errors;
using config::map_reader;

std::optional<ledger::limit_set> read_limits(const YAML::Node & node, const std::string & path, config_errors & errors) {
    map_reader in(node, path, errors);
    if (!in.valid()) {
        return std::nullopt;
    }
    ledger::limit_set out;
    auto dollars = [&](const char * key, std::optional<double> & field) {
        if (auto v = in.number(key)) {
            if (v->value < 0) {
                errors.add(v->pos, in.field_path(key), "must be >= 0");
            } else {
                field = v->value;
            }
        }
    };
    auto count = [&](const char * key, std::optional<int64_t> & field) {
        if (auto v = in.integer(key)) {
            if (v->value < 0) {
                errors.add(v->pos, in.field_path(key), "must be >= 0");
            } else {
                field = v->value;
            }
        }
    };
    dollars("usd_per_day", out.usd_per_day);
    dollars("usd_per_month", out.usd_per_month);
    count("tokens_per_minute", out.tokens_per_minute);
    count("requests_per_minute", out.requests_per_minute);
    if (auto action = in.string("on_usd_exhausted")) {
        if (action->value == "reject") {
            out.on_usd_exhausted = ledger::exhaust_action::reject;
        } else if (action->value == "degrade_to_slm") {
            out.on_usd_exhausted = ledger::exhaust_action::degrade_to_slm;
        } else {
            errors.add(action->pos, in.field_path("on_usd_exhausted"),
                       "expected reject | degrade_to_slm, got \"" + action->value + "\"");
        }
    }
    in.finish();
    return out;
}

void read_named(map_reader & in, const char * key, std::map<std::string, ledger::limit_set> & out) {
    auto node = in.node(key);
    if (!node) {
        return;
    }
    const std::string path = in.field_path(key);
    if (!node->IsMap()) {
        in.errors().add(config::pos_of(*node), path,
                        "expected a mapping of names to limits, got " + config::describe_value(*node));
        return;
    }
    for (const auto & kv : *node) {
        auto name = config::read_string(kv.first, path, in.errors());
        if (!name) {
            continue;
        }
        if (auto limits = read_limits(kv.second, path + "." + *name, in.errors())) {
            out[*name] = *limits;
        }
    }
}

}  // namespace

budget_settings read_budget_settings(const config::config & cfg, config::config_errors & errors) {
    budget_settings out;
    const auto & section = cfg.budgets.section;
    if (!section.present()) {
        return out;
    }
    map_reader in(section.node, section.path, errors);
    if (!in.valid()) {
        return out;
    }
    if (auto node = in.node("default_key")) {
        out.limits.default_key = read_limits(*node, in.field_path("default_key"), errors);
    }
    if (auto node = in.node("default_team")) {
        out.limits.default_team = read_limits(*node, in.field_path("default_team"), errors);
    }
    read_named(in, "keys", out.limits.keys);
    read_named(in, "teams", out.limits.teams);
    if (auto redis = in.string("redis")) {
        if (!redis->value.starts_with("redis://")) {
            errors.add(redis->pos, in.field_path("redis"), "expected redis://[:password@]host[:port][/db]");
        } else {
            out.redis_url = redis->value;
        }
    }
    if (auto n = in.integer("default_max_tokens")) {
        if (n->value < 1 || n->value > 1'000'000) {
            errors.add(n->pos, in.field_path("default_max_tokens"), "must be between 1 and 1000000");
        } else {
            out.default_max_tokens = static_cast<int>(n->value);
        }
    }
    in.finish();
    return out;
}

}  // namespace tiergate::gateway
