#include "rag/retriever.h"

#include "rag/flat_index.h"
#include "rag/fts_query.h"
#include "rag/fusion.h"
#include "rag/metadata_filter.h"

#include <algorithm>
#include <filesystem>
#include <thread>
#include <unordered_map>

namespace tiergate::rag {

namespace {

constexpr size_t max_top_k = 1000;
constexpr size_t max_query_bytes = 16 * 1024;

}  // namespace

result<search_mode> parse_search_mode(std::string_view name) {
    if (name == "bm25" || name == "keyword") {
        return search_mode::bm25;
    }
    if (name == "dense" || name == "vector") {
        return search_mode::dense;
    }
    if (name == "hybrid") {
        return search_mode::hybrid;
    }
    return error::invalid("unknown search mode '" + std::string(name) + "' (bm25, dense, hybrid)", "mode",
                          "invalid_search_mode");
}

const char * search_mode_name(search_mode mode) {
    switch (mode) {
        case search_mode::bm25:
            return "bm25";
        case search_mode::dense:
            return "dense";
        case search_mode::hybrid:
            return "hybrid";
    }
    return "hybrid";
}

retriever::retriever(store & s, embedder_set models, retriever_settings settings)
    : store_(s), models_(std::move(models)), settings_(std::move(settings)) {}

std::string retriever::index_path(const std::string & collection) const {
    return settings_.index_dir.empty() ? std::string() : settings_.index_dir + "/" + collection + ".hnsw";
}

result<bool> retriever::catch_up(dense_entry & entry, const collection_info & c) {
    // The caller holds mu_.
    auto changes = store_.changes_since(c.id, entry.version);
    if (!changes) {
        return changes.err();
    }
    if (!*changes) {
        return false;
    }
    if ((*changes)->empty()) {
        return true;
    }
    // Chunk ids are never reused: what was added and later removed is left out.
    std::vector<int64_t> added;
    std::unordered_map<int64_t, bool> gone;
    for (const collection_change & change : **changes) {
        for (int64_t id : change.removed) {
            entry.index->remove(id);
            gone[id] = true;
        }
        added.insert(added.end(), change.added.begin(), change.added.end());
    }
    std::erase_if(added, [&](int64_t id) { return gone.count(id) > 0; });
    auto read = store_.vectors_of(added, [&](int64_t id, std::span<const float> v) { entry.index->add(id, v); });
    if (!read) {
        return read.err();
    }
    entry.version = (*changes)->back().version;
    entry.dirty = !settings_.index_dir.empty();
    ++stats_.follows;
    return true;
}

result<std::vector<std::string>> retriever::metadata_keys(const collection_info & c) {
    {
        std::lock_guard lock(mu_);
        if (auto it = keys_.find(c.id); it != keys_.end() && it->second.first == c.version) {
            return it->second.second;
        }
    }
    auto keys = store_.metadata_keys(c.id);
    if (!keys) {
        return keys.err();
    }
    std::lock_guard lock(mu_);
    keys_[c.id] = {c.version, *keys};
    return keys;
}

index_stats retriever::stats() const {
    std::lock_guard lock(mu_);
    return stats_;
}

result<retriever::dense_entry *> retriever::index_for(const collection_info & c) {
    // The caller holds mu_.
    auto it = entries_.find(c.id);
    if (it != entries_.end() && it->second.created_ms != c.created_ms) {
        entries_.erase(it);  // the collection was deleted and created again under its id
        it = entries_.end();
    }
    if (it != entries_.end() && it->second.version >= c.version) {
        return &it->second;
    }
    if (it != entries_.end() && it->second.index->dims() == c.dims) {
        auto followed = catch_up(it->second, c);
        if (!followed) {
            return followed.err();
        }
        if (*followed) {
            return &it->second;
        }
    }
    dense_entry entry;
    const std::string path = index_path(c.id);
    if (!path.empty()) {
        index_stamp saved;
        entry.index = hnsw_index::load(path, c.dims, settings_.hnsw, saved);
        if (entry.index && saved.created_ms != c.created_ms) {
            entry.index.reset();  // of an earlier collection under the same id
        }
        entry.version = saved.version;
        entry.created_ms = c.created_ms;
        stats_.loads += entry.index ? 1 : 0;
        if (entry.index && saved.version != c.version) {
            auto followed = saved.version < c.version ? catch_up(entry, c) : result<bool>(false);
            if (!followed) {
                return followed.err();
            }
            if (!*followed) {
                entry.index.reset();
            }
        }
    }
    if (!entry.index) {
        entry.version = c.version;
        entry.created_ms = c.created_ms;
        auto index = std::make_unique<hnsw_index>(c.dims, settings_.hnsw, std::max<int64_t>(c.chunks, 16));
        // in blocks, each inserted on every core
        constexpr size_t block = 8192;
        std::vector<int64_t> ids;
        std::vector<float> rows;
        const size_t threads = std::max(1u, std::thread::hardware_concurrency());
        auto visited = store_.for_each_vector(c.id, [&](int64_t id, std::span<const float> v) {
            if (v.size() != c.dims) {
                return;
            }
            ids.push_back(id);
            rows.insert(rows.end(), v.begin(), v.end());
            if (ids.size() == block) {
                index->add_many(ids, rows, threads);
                ids.clear();
                rows.clear();
            }
        });
        if (!visited) {
            return visited.err();
        }
        index->add_many(ids, rows, threads);
        entry.index = std::move(index);
        entry.dirty = !path.empty();
        ++stats_.builds;
    }
    auto & slot = entries_[c.id];
    slot = std::move(entry);
    return &slot;
}

result<std::vector<scored_chunk>> retriever::dense_search(const collection_info & c, const std::vector<float> & query,
                                                          size_t k, bool exact) {
    if (c.dims == 0) {
        return std::vector<scored_chunk>{};  // nothing embedded yet
    }
    if (c.dims != query.size()) {
        return error::invalid("collection '" + c.name + "' holds " + std::to_string(c.dims) +
                                  "-dimensional vectors; the query embedding has " + std::to_string(query.size()),
                              "model", "embedding_model_mismatch");
    }
    if (exact) {
        flat_index flat(c.dims);
        auto visited = store_.for_each_vector(c.id, [&](int64_t id, std::span<const float> v) { flat.add(id, v); });
        if (!visited) {
            return visited.err();
        }
        return flat.search(query, k);
    }
    std::lock_guard lock(mu_);
    auto entry = index_for(c);
    if (!entry) {
        return entry.err();
    }
    return (*entry)->index->search(query, k);
}

result<std::vector<search_hit>> retriever::search(const search_request & request) {
    if (request.collections.empty()) {
        return error::invalid("name at least one collection to search", "vector_store_ids", "missing_collection");
    }
    if (request.top_k == 0 || request.top_k > max_top_k) {
        return error::invalid("max_num_results must be between 1 and " + std::to_string(max_top_k), "max_num_results",
                              "invalid_top_k");
    }
    if (request.query.size() > max_query_bytes) {
        return error::invalid("the query is longer than " + std::to_string(max_query_bytes) + " bytes", "query",
                              "query_too_long");
    }
    std::vector<collection_info> infos;
    std::vector<std::string> keys;
    for (const std::string & id : request.collections) {
        auto info = store_.collection(id);
        if (!info) {
            return info.err();
        }
        if (request.filters) {
            auto k = metadata_keys(*info);
            if (!k) {
                return k.err();
            }
            keys.insert(keys.end(), k->begin(), k->end());
        }
        infos.push_back(std::move(*info));
    }
    std::optional<metadata_filter> filter;
    if (request.filters) {
        if (keys.empty()) {
            keys.push_back("");  // no document has metadata: every key is unknown
        }
        auto f = metadata_filter::parse(*request.filters, keys);
        if (!f) {
            return f.err();
        }
        filter = std::move(*f);
    }

    // A filter removes candidates after ranking, so rank more of them.
    size_t pool = std::max(settings_.candidates, request.top_k);
    if (filter) {
        pool = std::max(pool * 4, request.top_k * 10);
    }

    std::vector<scored_chunk> bm25, dense;
    if (request.mode != search_mode::dense) {
        int64_t chunks = 0;
        for (const collection_info & c : infos) {
            chunks += c.chunks;
        }
        feedback_settings feedback = settings_.feedback;
        if (chunks > feedback.max_chunks) {
            feedback.documents = 0;
        }
        auto terms = expand_query(store_, request.collections, query_terms(request.query), settings_.weights, feedback);
        if (!terms) {
            return terms.err();
        }
        // The list may end early (in a large collection, after the chunks
        // holding a rarer term) once it holds what was asked for; a filter
        // drops hits after ranking, so then the whole pool is needed.
        auto found = store_.search_bm25(request.collections, *terms, pool, settings_.weights,
                                        filter ? pool : request.top_k);
        if (!found) {
            return found.err();
        }
        bm25 = std::move(*found);
    }
    if (request.mode != search_mode::bm25) {
        // The query embedded once by each model the collections were embedded with.
        std::vector<std::pair<embedder *, std::vector<float>>> queries;
        for (const collection_info & c : infos) {
            auto model = models_.for_collection(c);
            if (!model) {
                return model.err();
            }
            auto q = std::find_if(queries.begin(), queries.end(), [&](const auto & e) { return e.first == *model; });
            if (q == queries.end()) {
                auto vectors = (*model)->embed({request.query}, request.caller);
                if (!vectors) {
                    return vectors.err();
                }
                if (vectors->size() != 1) {
                    return error{error_kind::upstream, "the embedding model answered no vector for the query", "",
                                 "rag_embedding_failed", {}};
                }
                normalize(vectors->front());
                queries.emplace_back(*model, std::move(vectors->front()));
                q = queries.end() - 1;
            }
            auto found = dense_search(c, q->second, pool, request.exact);
            if (!found) {
                return found.err();
            }
            dense.insert(dense.end(), found->begin(), found->end());
        }
        std::sort(dense.begin(), dense.end(), [](const scored_chunk & a, const scored_chunk & b) {
            return a.score != b.score ? a.score > b.score : a.id < b.id;
        });
        if (dense.size() > pool) {
            dense.resize(pool);
        }
    }

    std::vector<scored_chunk> ranked;
    switch (request.mode) {
        case search_mode::bm25:
            ranked = bm25;
            break;
        case search_mode::dense:
            ranked = dense;
            break;
        case search_mode::hybrid:
            ranked = reciprocal_rank_fusion(
                {{&bm25, settings_.bm25_weight}, {&dense, settings_.dense_weight}}, settings_.rrf_k);
            break;
    }
    std::unordered_map<int64_t, double> bm25_of, dense_of;
    for (const scored_chunk & s : bm25) {
        bm25_of[s.id] = s.score;
    }
    for (const scored_chunk & s : dense) {
        dense_of[s.id] = s.score;
    }

    std::vector<search_hit> hits;
    // Read the chunks in slices so a filter that rejects most of them does not
    // load the whole candidate list at once.
    const size_t slice = std::max<size_t>(request.top_k * 2, 32);
    for (size_t at = 0; at < ranked.size() && hits.size() < request.top_k; at += slice) {
        std::vector<int64_t> ids;
        std::unordered_map<int64_t, double> score_of;
        for (size_t i = at; i < std::min(ranked.size(), at + slice); ++i) {
            if (ranked[i].score >= request.score_threshold) {
                ids.push_back(ranked[i].id);
                score_of[ranked[i].id] = ranked[i].score;
            }
        }
        auto chunks = store_.chunks(ids);
        if (!chunks) {
            return chunks.err();
        }
        for (stored_chunk & c : *chunks) {
            if (hits.size() >= request.top_k) {
                break;
            }
            if (filter && !filter->matches(c.metadata)) {
                continue;
            }
            search_hit h;
            h.score = score_of[c.id];
            if (auto b = bm25_of.find(c.id); b != bm25_of.end()) {
                h.bm25 = b->second;
            }
            if (auto d = dense_of.find(c.id); d != dense_of.end()) {
                h.dense = d->second;
            }
            h.chunk = std::move(c);
            hits.push_back(std::move(h));
        }
    }
    return hits;
}

void retriever::apply(const collection_change & change, const std::vector<std::vector<float>> & added_vectors) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(change.collection);
    if (it == entries_.end()) {
        return;
    }
    dense_entry & e = it->second;
    if (change.version != e.version + 1 || added_vectors.size() != change.added.size()) {
        return;  // behind: the next search follows the change log
    }
    for (int64_t id : change.removed) {
        e.index->remove(id);
    }
    for (size_t i = 0; i < change.added.size(); ++i) {
        if (added_vectors[i].size() == e.index->dims()) {
            e.index->add(change.added[i], added_vectors[i]);
        }
    }
    e.version = change.version;
    e.dirty = !settings_.index_dir.empty();
}

void retriever::forget(const std::string & collection) {
    std::lock_guard lock(mu_);
    entries_.erase(collection);
    keys_.erase(collection);
    const std::string path = index_path(collection);
    if (!path.empty()) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        std::filesystem::remove(path + ".meta", ec);
    }
}

result<bool> retriever::flush() {
    std::lock_guard lock(mu_);
    if (settings_.index_dir.empty()) {
        return true;
    }
    std::error_code ec;
    std::filesystem::create_directories(settings_.index_dir, ec);
    for (auto & [id, e] : entries_) {
        if (!e.dirty) {
            continue;
        }
        if (auto ok = e.index->save(index_path(id), index_stamp{e.version, e.created_ms}); !ok) {
            return ok.err();
        }
        e.dirty = false;
    }
    return true;
}

}  // namespace tiergate::rag
