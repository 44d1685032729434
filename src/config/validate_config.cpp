#include "config/validate_config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <set>

#include "config/default_config.h"
#include "config/fallback_cycles.h"
#include "config/field_checks.h"

namespace tiergate::config {

namespace {

std::string quoted(const std::string & text) { return "\"" + text + "\""; }

bool valid_model_name(const std::string & name) {
    if (name.empty()) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u != 0x7f && c != ',';
    });
}

bool has_gguf_magic(const std::filesystem::path & path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 4> magic{};
    if (!in.read(magic.data(), magic.size())) {
        return false;
    }
    return magic == std::array<char, 4>{'G', 'G', 'U', 'F'};
}

std::filesystem::path resolve(const std::filesystem::path & base, const std::string & text) {
    std::filesystem::path path(text);
    if (path.is_relative()) {
        path = base / path;
    }
    return std::filesystem::absolute(path).lexically_normal();
}

// Reads an optional integer field into `out`, checking [min, max].
template <class T>
void take_int(const raw_opt<int64_t> & field, const std::string & path, int64_t min, int64_t max, T & out,
              config_errors & errors) {
    if (!field) {
        return;
    }
    if (field->value < min || field->value > max) {
        errors.add(field->pos, path,
                   "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                       std::to_string(field->value));
        return;
    }
    out = static_cast<T>(field->value);
}

void take_ms(const raw_opt<int64_t> & field, const std::string & path, int64_t min, millis & out,
             config_errors & errors) {
    int64_t value = out.count();
    take_int(field, path, min, int64_t{24} * 3600 * 1000, value, errors);
    out = millis(value);
}

struct model_names {
    std::map<std::string, std::string> canonical;  // name or alias -> name
};

class validator {
  public:
    validator(const raw_config & raw, const validate_options & options, config_errors & errors)
        : raw_(raw), options_(options), errors_(errors) {}

    config run() {
        config out;
        out.source = errors_.file();
        server(out);
        model_dir(out);
        models(out);
        fallbacks(out);
        baseline(out);
        sections(out);
        out.reindex();
        return out;
    }

  private:
    void server(config & out) {
        if (!raw_.server) {
            return;
        }
        const raw_server & s = *raw_.server;
        if (s.host) {
            if (s.host->value.empty()) {
                errors_.add(s.host->pos, "server.host", "must not be empty (127.0.0.1 serves this machine only)");
            } else {
                out.server.host = s.host->value;
            }
        }
        take_int(s.port, "server.port", 0, 65535, out.server.port, errors_);
        take_int(s.max_body_bytes, "server.max_body_bytes", 1024, int64_t{1} << 32, out.server.max_body_bytes,
                 errors_);
        take_ms(s.read_timeout_ms, "server.read_timeout_ms", 1, out.server.read_timeout, errors_);
        take_ms(s.idle_timeout_ms, "server.idle_timeout_ms", 1000, out.server.idle_timeout, errors_);
        take_ms(s.request_timeout_ms, "server.request_timeout_ms", 1, out.server.request_timeout, errors_);
        take_int(s.threads, "server.threads", 0, 1024, out.server.threads, errors_);
    }

    void model_dir(config & out) {
        if (raw_.model_dir) {
            out.model_dir = resolve(options_.base_dir, raw_.model_dir->value);
            if (!std::filesystem::is_directory(out.model_dir)) {
                errors_.add(raw_.model_dir->pos, "model_dir", "not a directory: " + out.model_dir.string());
            }
            return;
        }
        out.model_dir = default_model_dir(options_.env);
    }

    void models(config & out) {
        if (raw_.models.empty()) {
            errors_.add(raw_.models_pos, "models", "at least one model is required");
            return;
        }
        // Names and aliases first: fallbacks may refer forward.
        for (const raw_model & m : raw_.models) {
            if (!m.name) {
                continue;
            }
            add_name(m.name->value, m.name->pos, m.path + ".name", m.name->value);
            if (m.aliases) {
                for (std::size_t i = 0; i < m.aliases->value.size(); ++i) {
                    const auto & alias = m.aliases->value[i];
                    add_name(alias.value, alias.pos, m.path + ".aliases[" + std::to_string(i) + "]", m.name->value);
                }
            }
        }
        for (const raw_model & m : raw_.models) {
            out.models.push_back(model(m, out.model_dir));
        }
    }

    void add_name(const std::string & name, source_pos pos, const std::string & path, const std::string & owner) {
        if (!valid_model_name(name)) {
            errors_.add(pos, path, "invalid model name " + quoted(name) + ": use letters, digits and . _ - : / (no spaces or commas)");
            return;
        }
        auto [it, inserted] = names_.canonical.emplace(name, owner);
        if (!inserted) {
            auto first = first_use_.find(name);
            errors_.add(pos, path,
                        "duplicate model name " + quoted(name) + " (first used at line " +
                            std::to_string(first->second.line) + ")");
            return;
        }
        first_use_[name] = pos;
    }

    model_config model(const raw_model & m, const std::filesystem::path & dir) {
        model_config out;
        out.pos = m.pos;
        const std::string & p = m.path;
        if (m.name) {
            out.name = m.name->value;
        }
        if (m.aliases) {
            for (const auto & alias : m.aliases->value) {
                out.aliases.push_back(alias.value);
            }
        }
        bool provider_ok = false;
        if (m.provider) {
            if (auto kind = parse_provider_kind(m.provider->value)) {
                out.provider = *kind;
                provider_ok = true;
            } else {
                errors_.add(m.provider->pos, p + ".provider",
                            "unknown provider " + quoted(m.provider->value) + " (expected one of: " +
                                provider_kind_choices() + ")");
            }
        }
        if (m.tier) {
            if (auto tier = parse_model_tier(m.tier->value)) {
                out.tier = *tier;
            } else {
                errors_.add(m.tier->pos, p + ".tier",
                            "unknown tier " + quoted(m.tier->value) + " (expected one of: " + model_tier_choices() + ")");
            }
        }
        out.residency = is_remote(out.provider) ? data_residency::external : data_residency::on_prem;
        if (m.residency) {
            if (auto residency = parse_data_residency(m.residency->value)) {
                out.residency = *residency;
                if (provider_ok && out.provider == provider_kind::local && *residency != data_residency::on_prem) {
                    errors_.add(m.residency->pos, p + ".residency", "a local model runs on this machine: residency must be on_prem");
                }
            } else {
                errors_.add(m.residency->pos, p + ".residency",
                            "unknown residency " + quoted(m.residency->value) + " (expected one of: " +
                                data_residency_choices() + ")");
            }
        }
        price(m, out);
        if (m.context_window) {
            take_int(m.context_window, p + ".context_window", 0, int64_t{1} << 30, out.context_window, errors_);
        }
        if (m.capabilities) {
            for (std::size_t i = 0; i < m.capabilities->value.size(); ++i) {
                const auto & cap = m.capabilities->value[i];
                if (auto parsed = parse_model_capability(cap.value)) {
                    out.capabilities.push_back(*parsed);
                } else {
                    errors_.add(cap.pos, p + ".capabilities[" + std::to_string(i) + "]",
                                "unknown capability " + quoted(cap.value) + " (expected one of: " +
                                    model_capability_choices() + ")");
                }
            }
        }
        if (provider_ok) {
            if (out.provider == provider_kind::local) {
                local(m, dir, out);
            } else {
                remote(m, out);
            }
        }
        pool(m, out);
        if (m.timeouts) {
            take_ms(m.timeouts->connect_ms, p + ".timeouts.connect_ms", 0, out.timeouts.connect, errors_);
            take_ms(m.timeouts->first_byte_ms, p + ".timeouts.first_byte_ms", 0, out.timeouts.first_byte, errors_);
            take_ms(m.timeouts->idle_ms, p + ".timeouts.idle_ms", 0, out.timeouts.idle, errors_);
            take_ms(m.timeouts->total_ms, p + ".timeouts.total_ms", 0, out.timeouts.total, errors_);
        }
        if (m.retries) {
            take_int(m.retries->max_attempts, p + ".retries.max_attempts", 1, 10, out.retries.max_attempts, errors_);
            take_ms(m.retries->base_backoff_ms, p + ".retries.base_backoff_ms", 0, out.retries.base_backoff, errors_);
        }
        return out;
    }

    void price(const raw_model & m, model_config & out) {
        const std::string & p = m.path;
        if (!m.price) {
            if (is_remote(out.provider) && m.provider && parse_provider_kind(m.provider->value)) {
                errors_.add(m.pos, p + ".price",
                            "required for remote providers (write { input_per_mtok: 0, output_per_mtok: 0 } for a free one)");
            }
            return;
        }
        auto take = [&](const raw_opt<double> & field, const char * name, double & value) {
            if (!field) {
                return;
            }
            if (field->value < 0.0) {
                errors_.add(field->pos, p + ".price." + name,
                            "must not be negative, got " + std::to_string(field->value));
                return;
            }
            value = field->value;
        };
        take(m.price->input_per_mtok, "input_per_mtok", out.price.input_per_mtok);
        take(m.price->output_per_mtok, "output_per_mtok", out.price.output_per_mtok);
    }

    template <class T>
    void only_for(const raw_opt<T> & field, const std::string & path, const char * providers) {
        if (field) {
            errors_.add(field->pos, path, std::string("applies only to provider ") + providers);
        }
    }

    void local(const raw_model & m, const std::filesystem::path & dir, model_config & out) {
        const std::string & p = m.path;
        only_for(m.endpoint, p + ".endpoint", "openai_compatible, openai or anthropic");
        only_for(m.api_key_env, p + ".api_key_env", "openai_compatible, openai or anthropic");
        local_model local;
        if (!m.model_path) {
            errors_.add(m.pos, p + ".path", "required for provider local (a GGUF file)");
        } else {
            local.path = resolve(dir, m.model_path->value);
            std::error_code ec;
            if (!std::filesystem::exists(local.path, ec)) {
                errors_.add(m.model_path->pos, p + ".path", "no such file: " + local.path.string());
            } else if (!std::filesystem::is_regular_file(local.path, ec)) {
                errors_.add(m.model_path->pos, p + ".path", "not a regular file: " + local.path.string());
            } else if (!has_gguf_magic(local.path)) {
                errors_.add(m.model_path->pos, p + ".path", "not a GGUF file: " + local.path.string());
            }
        }
        take_int(m.parallel, p + ".parallel", 1, 256, local.parallel, errors_);
        take_int(m.ctx, p + ".ctx", 0, 1 << 24, local.ctx, errors_);
        take_int(m.threads, p + ".threads", 0, 1024, local.threads, errors_);
        take_int(m.batch, p + ".batch", 1, 1 << 16, local.batch, errors_);
        if (m.embedding) {
            local.embedding = m.embedding->value;
        }
        if (!m.capabilities) {
            // What the in-process engine supports: grammar-constrained JSON, logprobs, embeddings.
            out.capabilities = {model_capability::json_schema, model_capability::logprobs};
            if (local.embedding) {
                out.capabilities.push_back(model_capability::embeddings);
            }
        }
        out.local = std::move(local);
    }

    // The pool's own fields are the fleet module's to read; here only where it may appear.
    void pool(const raw_model & m, model_config & out) {
        const std::string & p = m.path;
        const std::string & file = errors_.file();
        const bool has_deployments = m.deployments.IsDefined() && !m.deployments.IsNull();
        const bool has_balancing = m.balancing.IsDefined() && !m.balancing.IsNull();
        if (out.provider == provider_kind::local) {
            if (has_deployments) {
                errors_.add(pos_of(m.deployments), p + ".deployments",
                            "applies only to provider openai_compatible, openai or anthropic (a local model joins a "
                            "pool as a deployment `model: NAME` of a remote model's entry)");
            }
            if (has_balancing) {
                errors_.add(pos_of(m.balancing), p + ".balancing",
                            "applies only to provider openai_compatible, openai or anthropic");
            }
            return;
        }
        if (has_balancing && !has_deployments) {
            errors_.add(pos_of(m.balancing), p + ".balancing", "needs deployments (a pool to balance over)");
        }
        if (has_deployments && m.endpoint) {
            errors_.add(m.endpoint->pos, p + ".endpoint",
                        "a model with deployments takes each deployment's endpoint; remove this one");
        }
        out.deployments = {m.deployments, file, p + ".deployments"};
        out.balancing = {m.balancing, file, p + ".balancing"};
    }

    void remote(const raw_model & m, model_config & out) {
        const std::string & p = m.path;
        const char * only_local = "local";
        only_for(m.model_path, p + ".path", only_local);
        only_for(m.parallel, p + ".parallel", only_local);
        only_for(m.ctx, p + ".ctx", only_local);
        only_for(m.threads, p + ".threads", only_local);
        only_for(m.batch, p + ".batch", only_local);
        only_for(m.embedding, p + ".embedding", only_local);
        remote_model remote;
        // a pool's deployments each have their endpoint (and may have their key)
        const bool pooled = m.deployments.IsDefined() && !m.deployments.IsNull();
        if (m.endpoint) {
            std::string url = m.endpoint->value;
            while (url.size() > 1 && url.back() == '/') {
                url.pop_back();
            }
            if (!valid_http_url(url)) {
                errors_.add(m.endpoint->pos, p + ".endpoint",
                            "expected an http:// or https:// URL (scheme://host[:port][/path]), got " +
                                quoted(m.endpoint->value));
            }
            remote.endpoint = url;
        } else if (out.provider == provider_kind::openai) {
            remote.endpoint = "https://api.openai.com/v1";
        } else if (out.provider == provider_kind::anthropic) {
            remote.endpoint = "https://api.anthropic.com/v1";
        } else if (!pooled) {
            errors_.add(m.pos, p + ".endpoint", "required for provider openai_compatible (its base URL, e.g. http://10.0.0.5:8000/v1)");
        }
        if (m.api_key_env) {
            const std::string & var = m.api_key_env->value;
            if (!valid_env_name(var)) {
                // Never echo the value: it may be the key itself, pasted by mistake.
                errors_.add(m.api_key_env->pos, p + ".api_key_env",
                            "must be the NAME of an environment variable (letters, digits, _), not the key itself");
            } else {
                auto value = options_.env(var);
                if (!value) {
                    errors_.add(m.api_key_env->pos, p + ".api_key_env", "environment variable " + var + " is not set");
                } else if (value->empty()) {
                    errors_.add(m.api_key_env->pos, p + ".api_key_env", "environment variable " + var + " is empty");
                }
            }
            remote.api_key_env = var;
        } else if (!pooled && (out.provider == provider_kind::openai || out.provider == provider_kind::anthropic)) {
            errors_.add(m.pos, p + ".api_key_env",
                        std::string("required for provider ") + to_string(out.provider) +
                            " (the name of the environment variable holding the API key)");
        }
        out.remote = std::move(remote);
    }

    void fallbacks(config & out) {
        std::map<std::string, std::vector<std::string>> edges;
        std::map<std::string, const raw_model *> by_name;
        for (std::size_t i = 0; i < raw_.models.size() && i < out.models.size(); ++i) {
            const raw_model & m = raw_.models[i];
            model_config & model = out.models[i];
            if (!m.name) {
                continue;
            }
            by_name.emplace(model.name, &m);
            edges[model.name];
            if (!m.fallbacks) {
                continue;
            }
            std::set<std::string> seen;
            for (std::size_t j = 0; j < m.fallbacks->value.size(); ++j) {
                const auto & ref = m.fallbacks->value[j];
                std::string path = m.path + ".fallbacks[" + std::to_string(j) + "]";
                auto it = names_.canonical.find(ref.value);
                if (it == names_.canonical.end()) {
                    errors_.add(ref.pos, path, "unknown model " + quoted(ref.value));
                    continue;
                }
                if (!seen.insert(it->second).second) {
                    errors_.add(ref.pos, path, "model " + quoted(ref.value) + " is listed twice");
                    continue;
                }
                model.fallbacks.push_back(it->second);
                edges[model.name].push_back(it->second);
            }
        }
        auto cycle = find_fallback_cycle(edges);
        if (!cycle.empty()) {
            std::string chain;
            for (const auto & name : cycle) {
                chain += chain.empty() ? name : " -> " + name;
            }
            const raw_model * start = by_name[cycle.front()];
            source_pos pos = start->fallbacks ? start->fallbacks->pos : start->pos;
            errors_.add(pos, start->path + ".fallbacks", "fallback cycle: " + chain);
        }
    }

    void baseline(config & out) {
        if (raw_.frontier_baseline) {
            auto it = names_.canonical.find(raw_.frontier_baseline->value);
            if (it == names_.canonical.end()) {
                errors_.add(raw_.frontier_baseline->pos, "frontier_baseline",
                            "unknown model " + quoted(raw_.frontier_baseline->value));
                return;
            }
            out.frontier_baseline = it->second;
            return;
        }
        for (const auto & m : out.models) {
            if (m.tier == model_tier::frontier) {
                out.frontier_baseline = m.name;
                return;
            }
        }
    }

    void sections(config & out) {
        const std::string & file = errors_.file();
        if (!out.models.empty()) {
            out.router.default_model = out.models.front().name;
        }
        if (raw_.router) {
            if (raw_.router->default_model) {
                auto it = names_.canonical.find(raw_.router->default_model->value);
                if (it == names_.canonical.end()) {
                    errors_.add(raw_.router->default_model->pos, "router.default_model",
                                "unknown model " + quoted(raw_.router->default_model->value));
                } else {
                    out.router.default_model = it->second;
                }
            }
            out.router.section = {raw_.router->node, file, "router"};
        }
        if (raw_.guard) {
            if (raw_.guard->enabled) {
                out.guard.enabled = raw_.guard->enabled->value;
            }
            out.guard.section = {raw_.guard->node, file, "guard"};
        }
        out.budgets.section = {raw_.budgets, file, "budgets"};
        out.retrieval.section = {raw_.retrieval, file, "retrieval"};
        out.cache.section = {raw_.cache, file, "cache"};
        out.distill.section = {raw_.distill, file, "distill"};
        out.agents.section = {raw_.agents, file, "agents"};
        out.admin.section = {raw_.admin, file, "admin"};
        out.base_dir = options_.base_dir;
        if (raw_.ledger) {
            if (raw_.ledger->store) {
                const std::string & store = raw_.ledger->store->value;
                if (store.starts_with("sqlite:") && store.size() > 7) {
                    out.ledger.store = "sqlite:" + resolve(options_.base_dir, store.substr(7)).string();
                } else if (store.starts_with("postgresql://") || store.starts_with("postgres://")) {
                    out.ledger.store = store;
                } else {
                    errors_.add(raw_.ledger->store->pos, "ledger.store",
                                "expected sqlite:PATH or postgresql://..., got " + quoted(store));
                }
            }
            take_ms(raw_.ledger->group_commit_ms, "ledger.group_commit_ms", 0, out.ledger.group_commit, errors_);
        }
        if (raw_.keys && raw_.keys->store) {
            if (raw_.keys->store->value.empty()) {
                errors_.add(raw_.keys->store->pos, "keys.store", "must not be empty");
            } else {
                out.keys.store = resolve(options_.base_dir, raw_.keys->store->value);
            }
        }
    }

    const raw_config & raw_;
    const validate_options & options_;
    config_errors & errors_;
    model_names names_;
    std::map<std::string, source_pos> first_use_;
};

}  // namespace

config validate_config(const raw_config & raw, const validate_options & options, config_errors & errors) {
    return validator(raw, options, errors).run();
}

}  // namespace tiergate::config
