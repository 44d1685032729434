#include "fleet/pool_settings.h"

#include <algorithm>
#include <set>

#include "config/field_checks.h"
#include "config/map_reader.h"
#include "providers/endpoint_url.h"

namespace tiergate::fleet {

const char * to_string(balance_strategy s) {
    switch (s) {
        case balance_strategy::weighted: return "weighted";
        case balance_strategy::least_busy: return "least_busy";
        case balance_strategy::latency: return "latency";
        case balance_strategy::usage: return "usage";
    }
    return "weighted";
}

namespace {

using config::config_errors;
using config::map_reader;

std::optional<deployment_settings> read_deployment(const config::config & cfg, const config::model_config & model,
                                                   const YAML::Node & node, const std::string & path,
                                                   const config::env_lookup & env, config_errors & errors) {
    map_reader in(node, path, errors);
    if (!in.valid()) {
        return std::nullopt;
    }
    deployment_settings d;
    auto name = in.string("name");
    auto endpoint = in.string("endpoint");
    auto key = in.string("api_key_env");
    auto local = in.string("model");
    bool ok = true;
    if (endpoint && local) {
        errors.add(local->pos, in.field_path("model"),
                   "a deployment is either a remote endpoint or an in-process model, not both");
        ok = false;
    } else if (!endpoint && !local) {
        errors.add(in.pos(), in.field_path("endpoint"),
                   "required: a remote deployment's base URL (or `model:` naming an in-process model)");
        ok = false;
    }
    if (endpoint) {
        std::string url = endpoint->value;
        while (url.size() > 1 && url.back() == '/') {
            url.pop_back();
        }
        if (!config::valid_http_url(url) || !providers::parse_endpoint_url(url)) {
            errors.add(endpoint->pos, in.field_path("endpoint"),
                       "expected an http:// or https:// URL (scheme://host[:port][/path]), got \"" + endpoint->value +
                           "\"");
            ok = false;
        } else {
            d.endpoint = url;
            auto parsed = providers::parse_endpoint_url(url);
            d.name = parsed->host + ":" + parsed->port;
        }
        d.api_key_env = model.remote ? model.remote->api_key_env : std::string();
    }
    if (key) {
        if (local) {
            errors.add(key->pos, in.field_path("api_key_env"), "applies only to a remote deployment (endpoint)");
            ok = false;
        } else if (!config::valid_env_name(key->value)) {
            // never echo the value: it may be the key itself
            errors.add(key->pos, in.field_path("api_key_env"),
                       "must be the NAME of an environment variable (letters, digits, _), not the key itself");
            ok = false;
        } else {
            d.api_key_env = key->value;
        }
    }
    if (!d.api_key_env.empty() && endpoint) {
        // a missing key is a startup error, as for a model's own api_key_env
        const auto value = env ? env(d.api_key_env) : std::nullopt;
        if (!value || value->empty()) {
            errors.add(key ? key->pos : in.pos(), in.field_path("api_key_env"),
                       "environment variable " + d.api_key_env + " is not set or empty");
            ok = false;
        }
    } else if (endpoint && (model.provider == config::provider_kind::openai ||
                            model.provider == config::provider_kind::anthropic)) {
        errors.add(in.pos(), in.field_path("api_key_env"),
                   std::string("required for provider ") + config::to_string(model.provider) +
                       " (here or on the model: the name of the environment variable holding the API key)");
        ok = false;
    }
    if (local) {
        const auto * target = cfg.find_model(local->value);
        if (target == nullptr) {
            errors.add(local->pos, in.field_path("model"), "unknown model \"" + local->value + "\"");
            ok = false;
        } else if (target->provider != config::provider_kind::local) {
            errors.add(local->pos, in.field_path("model"),
                       "model \"" + local->value + "\" is not an in-process (provider: local) model");
            ok = false;
        } else {
            d.local_model = target->name;
            d.name = target->name;
            d.max_concurrency = target->local ? target->local->parallel : 0;
        }
    }
    if (name) {
        if (name->value.empty() || name->value.size() > 64) {
            errors.add(name->pos, in.field_path("name"), "must be 1 to 64 characters");
            ok = false;
        } else {
            d.name = name->value;
        }
    }
    if (auto w = in.number_in("weight", 0.0, 1e6)) {
        d.weight = w->value;
    }
    if (auto v = in.integer_in("rpm", 0, 1'000'000'000)) {
        d.rpm = v->value;
    }
    if (auto v = in.integer_in("tpm", 0, int64_t{1} << 50)) {
        d.tpm = v->value;
    }
    if (auto v = in.integer_in("max_concurrency", 0, 1'000'000)) {
        d.max_concurrency = static_cast<int>(v->value);
    }
    if (auto r = in.string("region")) {
        d.region = r->value;
    }
    if (auto tags = in.string_list("tags")) {
        for (const auto & t : tags->value) {
            d.tags.push_back(t.value);
        }
    }
    in.finish();
    if (!ok) {
        return std::nullopt;
    }
    return d;
}

void read_balancing(const config::yaml_section & section, pool_settings & out, config_errors & errors) {
    map_reader in(section.node, section.path, errors);
    if (!in.valid()) {
        return;
    }
    if (auto s = in.string("strategy")) {
        const std::string & v = s->value;
        if (v == "weighted") {
            out.strategy = balance_strategy::weighted;
        } else if (v == "least_busy") {
            out.strategy = balance_strategy::least_busy;
        } else if (v == "latency") {
            out.strategy = balance_strategy::latency;
        } else if (v == "usage") {
            out.strategy = balance_strategy::usage;
        } else {
            errors.add(s->pos, in.field_path("strategy"),
                       "unknown strategy \"" + v + "\" (expected one of: weighted, least_busy, latency, usage)");
        }
    }
    if (auto e = in.number_in("exploration", 0.0, 1.0)) {
        out.exploration = e->value;
    }
    if (auto l = in.string("latency_of")) {
        if (l->value == "ttft" || l->value == "total") {
            out.latency_of_ttft = l->value == "ttft";
        } else {
            errors.add(l->pos, in.field_path("latency_of"), "expected ttft or total, got \"" + l->value + "\"");
        }
    }
    if (auto c = in.integer_in("cooldown_ms", 0, 3'600'000)) {
        out.cooldown = millis(c->value);
    }
    if (auto h = in.node("health_check")) {
        map_reader hc(*h, in.field_path("health_check"), errors);
        if (hc.valid()) {
            auto path = hc.string("path", config::presence::required);
            if (path) {
                if (path->value.empty() || path->value.front() != '/' ||
                    path->value.find_first_of(" \r\n\t") != std::string::npos) {
                    errors.add(path->pos, hc.field_path("path"), "expected a path starting with /, got \"" +
                                                                     path->value + "\"");
                } else {
                    out.health.path = path->value;
                }
            }
            if (auto v = hc.integer_in("interval_ms", 100, 3'600'000)) {
                out.health.interval = millis(v->value);
            }
            if (auto v = hc.integer_in("timeout_ms", 10, 600'000)) {
                out.health.timeout = millis(v->value);
            } else {
                out.health.timeout = std::min(out.health.timeout, out.health.interval / 2);
            }
            if (out.health.timeout >= out.health.interval) {
                // a round of checks must end before the next begins
                errors.add(hc.pos(), hc.field_path("timeout_ms"),
                           "must be shorter than interval_ms (" + std::to_string(out.health.interval.count()) + ")");
            }
            hc.finish();
        }
    }
    if (auto a = in.node("prefix_affinity")) {
        affinity_settings aff;
        map_reader pa(*a, in.field_path("prefix_affinity"), errors);
        if (pa.valid()) {
            if (auto v = pa.integer_in("block_bytes", 16, 1 << 20)) {
                aff.block_bytes = static_cast<size_t>(v->value);
            }
            if (auto v = pa.integer_in("min_bytes", 0, 1 << 30)) {
                aff.min_bytes = static_cast<size_t>(v->value);
            }
            if (auto v = pa.number_in("load_factor", 1.0, 100.0)) {
                aff.load_factor = v->value;
            }
            if (auto v = pa.integer_in("remembered_blocks", 0, 1 << 26)) {
                aff.remembered_blocks = static_cast<size_t>(v->value);
            }
            pa.finish();
        }
        out.affinity = aff;
    }
    in.finish();
}

}  // namespace

std::optional<pool_settings> read_pool_settings(const config::config & cfg, const config::model_config & model,
                                                const config::env_lookup & env, config::config_errors & errors) {
    const auto & section = model.deployments;
    if (!section.present()) {
        return std::nullopt;
    }
    const size_t errors_before = errors.list().size();
    pool_settings out;
    out.model = model.name;
    if (!section.node.IsSequence() || section.node.size() == 0) {
        errors.add(config::pos_of(section.node), section.path,
                   "expected a list of one or more deployments, got " + config::describe_value(section.node));
        return std::nullopt;
    }
    std::set<std::string> names;
    for (size_t i = 0; i < section.node.size(); ++i) {
        const std::string path = section.path + "[" + std::to_string(i) + "]";
        auto d = read_deployment(cfg, model, section.node[i], path, env, errors);
        if (!d) {
            continue;
        }
        if (!names.insert(d->name).second) {
            errors.add(config::pos_of(section.node[i]), path + ".name",
                       "deployment name \"" + d->name + "\" is used twice in this pool (give each a name)");
            continue;
        }
        out.deployments.push_back(std::move(*d));
    }
    if (model.balancing.present()) {
        read_balancing(model.balancing, out, errors);
        const bool remote = std::any_of(out.deployments.begin(), out.deployments.end(),
                                        [](const deployment_settings & d) { return d.local_model.empty(); });
        if (!out.health.path.empty() && !remote) {
            errors.add(config::pos_of(model.balancing.node), model.balancing.path + ".health_check",
                       "checks remote deployments, and this pool has none");
        }
    }
    if (errors.list().size() != errors_before) {
        return std::nullopt;
    }
    return out;
}

}  // namespace tiergate::fleet
