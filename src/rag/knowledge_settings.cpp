#include "rag/knowledge_settings.h"

#include "config/map_reader.h"
#include "rag/store_location.h"

namespace tiergate::rag {

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
