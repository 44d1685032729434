#include "config/parse_raw_config.h"

namespace tiergate::config {

namespace {

raw_server parse_server(const YAML::Node & node, config_errors & errors) {
    map_reader in(node, "server", errors);
    raw_server out;
    out.pos = in.pos();
    out.host = in.string("host");
    out.port = in.integer("port");
    out.max_body_bytes = in.integer("max_body_bytes");
    out.read_timeout_ms = in.integer("read_timeout_ms");
    out.idle_timeout_ms = in.integer("idle_timeout_ms");
    out.request_timeout_ms = in.integer("request_timeout_ms");
    out.threads = in.integer("threads");
    in.finish();
    return out;
}

raw_price parse_price(const YAML::Node & node, const std::string & path, config_errors & errors) {
    map_reader in(node, path, errors);
    raw_price out;
    out.pos = in.pos();
    out.input_per_mtok = in.number("input_per_mtok", presence::required);
    out.output_per_mtok = in.number("output_per_mtok", presence::required);
    in.finish();
    return out;
}

raw_timeouts parse_timeouts(const YAML::Node & node, const std::string & path, config_errors & errors) {
    map_reader in(node, path, errors);
    raw_timeouts out;
    out.pos = in.pos();
    out.connect_ms = in.integer("connect_ms");
    out.first_byte_ms = in.integer("first_byte_ms");
    out.idle_ms = in.integer("idle_ms");
    out.total_ms = in.integer("total_ms");
    in.finish();
    return out;
}

raw_retries parse_retries(const YAML::Node & node, const std::string & path, config_errors & errors) {
    map_reader in(node, path, errors);
    raw_retries out;
    out.pos = in.pos();
    out.max_attempts = in.integer("max_attempts");
    out.base_backoff_ms = in.integer("base_backoff_ms");
    in.finish();
    return out;
}

raw_model parse_model(const YAML::Node & node, const std::string & path, config_errors & errors) {
    map_reader in(node, path, errors);
    raw_model out;
    out.pos = in.pos();
    out.path = path;
    out.name = in.string("name", presence::required);
    out.aliases = in.string_list("aliases");
    out.provider = in.string("provider", presence::required);
    out.endpoint = in.string("endpoint");
    out.api_key_env = in.string("api_key_env");
    out.tier = in.string("tier", presence::required);
    if (auto price = in.node("price")) {
        out.price = parse_price(*price, in.field_path("price"), errors);
    }
    out.residency = in.string("residency");
    out.context_window = in.integer("context_window");
    out.fallbacks = in.string_list("fallbacks");
    out.capabilities = in.string_list("capabilities");
    out.model_path = in.string("path");
    out.parallel = in.integer("parallel");
    out.ctx = in.integer("ctx");
    out.threads = in.integer("threads");
    out.batch = in.integer("batch");
    out.embedding = in.boolean("embedding");
    if (auto timeouts = in.node("timeouts")) {
        out.timeouts = parse_timeouts(*timeouts, in.field_path("timeouts"), errors);
    }
    if (auto retries = in.node("retries")) {
        out.retries = parse_retries(*retries, in.field_path("retries"), errors);
    }
    // a pool of deployments and how to balance over it belong to the fleet module (fleet/pool_settings)
    if (auto deployments = in.node("deployments")) {
        out.deployments = *deployments;
    }
    if (auto balancing = in.node("balancing")) {
        out.balancing = *balancing;
    }
    in.finish();
    return out;
}

raw_router parse_router(const YAML::Node & node, config_errors & errors) {
    map_reader in(node, "router", errors);
    raw_router out;
    out.pos = in.pos();
    out.default_model = in.string("default_model");
    // every other field belongs to the router module, which reads the whole
    // mapping strictly (router/route_settings)
    out.node = node;
    return out;
}

raw_guard parse_guard(const YAML::Node & node, config_errors & errors) {
    map_reader in(node, "guard", errors);
    raw_guard out;
    out.enabled = in.boolean("enabled");
    // every other field belongs to the guard module (guard/guard_settings)
    out.node = node;
    return out;
}

raw_ledger parse_ledger(const YAML::Node & node, config_errors & errors) {
    map_reader in(node, "ledger", errors);
    raw_ledger out;
    out.store = in.string("store");
    out.group_commit_ms = in.integer("group_commit_ms");
    in.finish();
    return out;
}

raw_keys parse_keys(const YAML::Node & node, config_errors & errors) {
    map_reader in(node, "keys", errors);
    raw_keys out;
    out.store = in.string("store");
    in.finish();
    return out;
}

}  // namespace

raw_config parse_raw_config(const std::string & yaml_text, config_errors & errors) {
    raw_config out;
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception & e) {
        source_pos pos;
        if (!e.mark.is_null()) {
            pos = {e.mark.line + 1, e.mark.column + 1};
        }
        errors.add(pos, "", "invalid YAML: " + e.msg);
        return out;
    }
    if (root.IsNull() || !root.IsDefined()) {
        errors.add({}, "", "the file is empty: at least `models:` is required");
        return out;
    }
    map_reader in(root, "", errors);
    if (auto server = in.node("server")) {
        out.server = parse_server(*server, errors);
    }
    out.model_dir = in.string("model_dir");
    if (auto models = in.node("models", presence::required)) {
        out.models_pos = pos_of(*models);
        if (!models->IsSequence()) {
            errors.add(pos_of(*models), "models", "expected a list of models, got " + describe_value(*models));
        } else {
            for (std::size_t i = 0; i < models->size(); ++i) {
                out.models.push_back(parse_model((*models)[i], "models[" + std::to_string(i) + "]", errors));
            }
        }
    }
    out.frontier_baseline = in.string("frontier_baseline");
    if (auto router = in.node("router")) {
        out.router = parse_router(*router, errors);
    }
    if (auto guard = in.node("guard")) {
        out.guard = parse_guard(*guard, errors);
    }
    if (auto budgets = in.node("budgets")) {
        out.budgets = *budgets;
    }
    if (auto retrieval = in.node("retrieval")) {
        out.retrieval = *retrieval;
    }
    if (auto cache = in.node("cache")) {
        out.cache = *cache;
    }
    if (auto distill = in.node("distill")) {
        out.distill = *distill;
    }
    if (auto agents = in.node("agents")) {
        out.agents = *agents;
    }
    if (auto admin = in.node("admin")) {
        out.admin = *admin;
    }
    if (auto ledger = in.node("ledger")) {
        out.ledger = parse_ledger(*ledger, errors);
    }
    if (auto keys = in.node("keys")) {
        out.keys = parse_keys(*keys, errors);
    }
    in.finish();
    return out;
}

}  // namespace tiergate::config
