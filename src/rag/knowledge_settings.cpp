#include "rag/knowledge_settings.h"

#include "config/map_reader.h"
#include "rag/store_location.h"

namespace tiergate::rag {

namespace {

// attach: { keys: {KEY: SPEC}, teams: {TEAM: SPEC}, models: {MODEL: SPEC} }
// with SPEC {collections: [vs_...], k: 5, score_threshold: 0} or just the list.
void read_attachments(const YAML::Node & node, const std::string & path, config::config_errors & errors,
                      retrieval_attachments & out) {
    config::map_reader in(node, path, errors);
    if (!in.valid()) {
        return;
    }
    auto read_group = [&](const char * key, std::map<std::string, retrieval_request> & into) {
        auto group = in.node(key);
        if (!group) {
            return;
        }
        const std::string gpath = in.field_path(key);
        if (!group->IsMap()) {
            errors.add(config::pos_of(*group), gpath, "expected a mapping of names to collections, got " +
                                                          config::describe_value(*group));
            return;
        }
        for (const auto & kv : *group) {
            auto name = config::read_string(kv.first, gpath, errors);
            if (!name) {
                continue;
            }
            const std::string ipath = gpath + "." + *name;
            retrieval_request r;
            auto read_ids = [&](const YAML::Node & list, const std::string & lpath) {
                if (!list.IsSequence() || list.size() == 0) {
                    errors.add(config::pos_of(list), lpath,
                               "expected a non-empty list of vector store ids, got " + config::describe_value(list));
                    return;
                }
                for (size_t i = 0; i < list.size(); ++i) {
                    if (auto id = config::read_string(list[i], lpath + "[" + std::to_string(i) + "]", errors)) {
                        r.collections.push_back(*id);
                    }
                }
            };
            if (kv.second.IsSequence()) {
                read_ids(kv.second, ipath);
            } else {
                config::map_reader spec(kv.second, ipath, errors);
                if (!spec.valid()) {
                    continue;
                }
                if (auto list = spec.node("collections", config::presence::required)) {
                    read_ids(*list, spec.field_path("collections"));
                }
                if (auto k = spec.integer("k")) {
                    if (k->value < 1 || k->value > 20) {
                        errors.add(k->pos, spec.field_path("k"), "must be between 1 and 20");
                    } else {
                        r.k = static_cast<int>(k->value);
                    }
                }
                if (auto t = spec.number("score_threshold")) {
                    if (!(t->value >= 0 && t->value <= 1)) {
                        errors.add(t->pos, spec.field_path("score_threshold"), "must be between 0 and 1");
                    } else {
                        r.score_threshold = t->value;
                    }
                }
                spec.finish();
            }
            into[*name] = std::move(r);
        }
    };
    read_group("keys", out.by_key);
    read_group("teams", out.by_team);
    read_group("models", out.by_model);
    in.finish();
}

}  // namespace

std::optional<knowledge_settings> read_knowledge_settings(const config::config & cfg, config::config_errors & errors) {
    const auto & section = cfg.retrieval.section;
    if (!section.present()) {
        return std::nullopt;
    }
    const size_t errors_before = errors.list().size();
    config::map_reader in(section.node, section.path, errors);
    if (!in.valid()) {
        return std::nullopt;
    }
    knowledge_settings out;
    auto relative_to_config = [&](const std::string & path) {
        const std::filesystem::path p(path);
        return p.is_absolute() ? p.string() : (cfg.base_dir / p).lexically_normal().string();
    };
    if (auto store = in.string("store", config::presence::required)) {
        auto where = parse_store_location(store->value);
        if (!where) {
            errors.add(store->pos, in.field_path("store"), where.err().message);
        } else {
            out.store_path = where->postgresql ? store->value : relative_to_config(where->target);
        }
    }
    if (auto dir = in.string("index_dir")) {
        out.index_dir = relative_to_config(dir->value);
    } else if (!out.store_path.empty() && parse_store_location(out.store_path) &&
               parse_store_location(out.store_path)->postgresql) {
        errors.add(in.pos(), in.field_path("index_dir"),
                   "a PostgreSQL store needs index_dir: where this gateway keeps its HNSW indexes");
    }
    if (auto model = in.string("embedding_model")) {
        const auto * m = cfg.find_model(model->value);
        if (m == nullptr) {
            errors.add(model->pos, in.field_path("embedding_model"), "no model '" + model->value + "' is configured");
        } else if (m->provider == config::provider_kind::anthropic ||
                   (m->provider == config::provider_kind::local && !m->local->embedding)) {
            errors.add(model->pos, in.field_path("embedding_model"),
                       "the model '" + model->value + "' does not make embeddings" +
                           (m->provider == config::provider_kind::local ? " (set embedding: true on it)" : ""));
        } else {
            out.embedding_model = m->name;
        }
    }
    auto bounded = [&](const char * key, int64_t lo, int64_t hi, auto & field) {
        if (auto v = in.integer(key)) {
            if (v->value < lo || v->value > hi) {
                errors.add(v->pos, in.field_path(key),
                           "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
            } else {
                field = static_cast<std::remove_reference_t<decltype(field)>>(v->value);
            }
        }
    };
    bounded("dims", 16, 4096, out.dims);
    size_t max_file_mb = out.max_file_bytes >> 20;
    bounded("max_file_mb", 1, 1024, max_file_mb);
    out.max_file_bytes = max_file_mb << 20;
    bounded("max_file_documents", 1, 1000000, out.max_file_documents);
    bounded("chunk_tokens", 16, 8192, out.chunking.max_tokens);
    bounded("overlap_tokens", 0, 4096, out.chunking.overlap_tokens);
    bounded("context_tokens", 64, 65536, out.context_tokens);
    if (auto v = in.number("dense_weight")) {
        if (!(v->value >= 0 && v->value <= 10)) {
            errors.add(v->pos, in.field_path("dense_weight"), "must be between 0 and 10");
        } else {
            out.dense_weight = v->value;
        }
    }
    if (auto attach = in.node("attach")) {
        read_attachments(*attach, in.field_path("attach"), errors, out.attached);
        // matched as the client writes the model: its name and each of its aliases; the router's name as it is
        std::map<std::string, retrieval_request> by_model;
        for (auto & [name, r] : out.attached.by_model) {
            if (const auto * m = cfg.find_model(name)) {
                by_model[m->name] = r;
                for (const auto & alias : m->aliases) {
                    by_model[alias] = r;
                }
            } else {
                by_model[name] = r;
            }
        }
        out.attached.by_model = std::move(by_model);
    }
    if (auto v = in.boolean("on_prem_only")) {
        out.on_prem_only = v->value;
    }
    if (out.chunking.overlap_tokens * 2 > out.chunking.max_tokens) {
        errors.add(in.pos(), in.field_path("overlap_tokens"), "must be at most half of chunk_tokens");
    }
    in.finish();
    if (errors.list().size() != errors_before) {
        return std::nullopt;
    }
    return out;
}

}  // namespace tiergate::rag
