#include "cache/cache_settings.h"

#include "config/map_reader.h"

namespace tiergate::cache {

std::optional<answer_store_settings> read_cache_settings(const config::config & cfg, config::config_errors & errors) {
    const auto & section = cfg.cache.section;
    if (!section.present()) {
        return std::nullopt;
    }
    const size_t errors_before = errors.list().size();
    config::map_reader in(section.node, section.path, errors);
    if (!in.valid()) {
        return std::nullopt;
    }
    answer_store_settings out;
    auto bounded = [&](const char * key, int64_t lo, int64_t hi) -> std::optional<int64_t> {
        auto v = in.integer_in(key, lo, hi);
        return v ? std::optional<int64_t>(v->value) : std::nullopt;
    };
    if (auto ttl = bounded("ttl_s", 1, 30LL * 24 * 3600)) {
        out.ttl = std::chrono::seconds(*ttl);
    }
    if (auto n = bounded("max_entries", 1, 10'000'000)) {
        out.max_entries = static_cast<size_t>(*n);
    }
    if (auto kb = bounded("max_answer_kb", 1, 16384)) {
        out.max_answer_bytes = static_cast<size_t>(*kb) << 10;
    }
    if (auto semantic = in.boolean("semantic")) {
        out.semantic = semantic->value;
    }
    auto similarity = [&](config::map_reader & from, std::optional<double> & into) {
        if (auto s = from.number("similarity")) {
            if (s->value < 0.5 || s->value > 1.0) {
                errors.add(s->pos, from.field_path("similarity"), "must be between 0.5 and 1");
            } else {
                into = s->value;
            }
        }
    };
    std::optional<double> base;
    similarity(in, base);
    out.similarity = base.value_or(out.similarity);
    // per requested model name (a route, as the guard's `models:`): the
    // router's name (`auto`), or a configured model or alias
    if (auto routes = in.node("models")) {
        const std::string path = in.field_path("models");
        if (!routes->IsMap()) {
            errors.add(config::pos_of(*routes), path,
                       "expected a mapping of requested model names to settings, got " + config::describe_value(*routes));
        } else {
            for (const auto & kv : *routes) {
                auto name = config::read_string(kv.first, path, errors);
                if (!name) {
                    continue;
                }
                config::map_reader r(kv.second, path + "." + *name, errors);
                if (!r.valid()) {
                    continue;
                }
                route_cache_settings rc;
                if (auto semantic = r.boolean("semantic")) {
                    rc.semantic = semantic->value;
                }
                similarity(r, rc.similarity);
                r.finish();
                // a requested name is matched as the client writes it: the model and each of its aliases
                if (const auto * m = cfg.find_model(*name)) {
                    out.routes[m->name] = rc;
                    for (const auto & alias : m->aliases) {
                        out.routes[alias] = rc;
                    }
                } else {
                    out.routes[*name] = rc;
                }
            }
        }
    }
    in.finish();
    if (errors.list().size() != errors_before) {
        return std::nullopt;
    }
    return out;
}

}  // namespace tiergate::cache
