#include "rag/knowledge_base.h"

#include "core/utf8.h"
#include "rag/extract.h"
#include "rag/hashed_embedder.h"
#include "rag/store_location.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

namespace tiergate::rag {

namespace {

std::string random_id(const char * prefix) {
    static thread_local std::mt19937_64 rng{std::random_device{}() ^
                                            (static_cast<uint64_t>(std::random_device{}()) << 32)};
    char hex[25];
    std::snprintf(hex, sizeof hex, "%016llx%08llx", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng() & 0xffffffffu));
    return std::string(prefix) + hex;
}

error no_collection(const std::string & id) {
    const std::string shown = id.size() > 100 ? id.substr(0, 100) + "..." : id;
    return error{error_kind::not_found, "no vector store '" + shown + "'", "vector_store_id", "vector_store_not_found", {}};
}

error no_file(const std::string & id) {
    const std::string shown = id.size() > 100 ? id.substr(0, 100) + "..." : id;
    return error{error_kind::not_found, "no file '" + shown + "'", "file_id", "file_not_found", {}};
}

// The documents a file's bytes hold, with ids and titles of the file.
result<std::vector<document>> documents_of(const file_info & f, std::string_view bytes, size_t max_bytes,
                                          size_t max_documents) {
    auto format = format_of(f.filename);
    if (!format) {
        return error::invalid(format.err().message, "file", "unsupported_file");
    }
    extract_limits limits;
    limits.max_bytes = max_bytes;
    limits.max_documents = max_documents;
    auto docs = extract_documents(bytes, *format, f.filename, limits);
    if (!docs) {
        return error::invalid(docs.err().message, "file", "invalid_file");
    }
    const bool many = *format == file_format::jsonl;
    for (document & d : *docs) {
        d.id = many ? f.id + "#" + d.id : f.id;
        if (d.title.empty() && !many) {
            d.title = f.filename;
        }
        d.source = f.filename;
    }
    return docs;
}

}  // namespace

std::string file_of_document(const std::string & doc_id) { return doc_id.substr(0, doc_id.find('#')); }

knowledge_base::knowledge_base(knowledge_settings settings, std::unique_ptr<store> s, std::unique_ptr<file_store> f,
                               std::unique_ptr<embedder> lexical, std::unique_ptr<embedder> model)
    : settings_(std::move(settings)),
      store_(std::move(s)),
      files_(std::move(f)),
      lexical_(std::move(lexical)),
      model_(std::move(model)) {
    retriever_settings rs;
    rs.index_dir = settings_.index_dir;
    rs.dense_weight = settings_.dense_weight.value_or(model_ ? 1.0 : rs.dense_weight);
    embedder_set models(model_ ? *model_ : *lexical_);
    if (model_) {
        models.add(*lexical_);
    }
    retriever_ = std::make_unique<retriever>(*store_, models, rs);
    ingester_ = std::make_unique<ingester>(*store_, models, retriever_.get());
}

knowledge_base::~knowledge_base() { (void)retriever_->flush(); }

result<std::unique_ptr<knowledge_base>> knowledge_base::open(const knowledge_settings & settings,
                                                             std::unique_ptr<embedder> model) {
    if (auto ok = validate_chunk_settings(settings.chunking); !ok) {
        return ok.err();
    }
    if (settings.store_path.empty() || settings.store_path == ":memory:") {
        return error::invalid("the knowledge store needs a file (its tables are shared by two connections)", "store");
    }
    auto where = parse_store_location(settings.store_path);
    if (!where) {
        return where.err();
    }
    knowledge_settings resolved = settings;
    if (resolved.index_dir.empty()) {
        if (where->postgresql) {
            return error::invalid("a PostgreSQL knowledge store needs an index_dir for this gateway's HNSW indexes",
                                  "index_dir");
        }
        resolved.index_dir = where->target + ".index";
    }
    auto s = store::open(settings.store_path);
    if (!s) {
        return s.err();
    }
    auto f = file_store::open(settings.store_path);
    if (!f) {
        return f.err();
    }
    return std::unique_ptr<knowledge_base>(new knowledge_base(std::move(resolved), std::move(*s), std::move(*f),
                                                              std::make_unique<hashed_embedder>(settings.dims),
                                                              std::move(model)));
}

result<file_info> knowledge_base::upload(const std::string & team, const std::string & filename,
                                         const std::string & purpose, std::string bytes) {
    if (purpose != "assistants") {
        return error::invalid("purpose must be \"assistants\" (files for vector stores); got \"" +
                                  (purpose.size() > 40 ? purpose.substr(0, 40) + "..." : purpose) + "\"",
                              "purpose", "unsupported_purpose");
    }
    if (filename.empty() || filename.size() > 255 || find_invalid_utf8(filename) != std::string_view::npos ||
        filename.find_first_of(std::string_view("\0\r\n/\\", 5)) != std::string::npos) {
        return error::invalid("the file name must be 1 to 255 bytes of UTF-8 without path separators or line breaks",
                              "file", "invalid_file_name");
    }
    if (bytes.size() > settings_.max_file_bytes) {
        return error{error_kind::payload_too_large,
                     "the file is " + std::to_string(bytes.size()) + " bytes; at most " +
                         std::to_string(settings_.max_file_bytes) + " are accepted",
                     "file", "file_too_large", {}};
    }
    file_info f;
    f.id = random_id("file-");
    f.filename = filename;
    f.purpose = purpose;
    f.team = team;
    auto docs = documents_of(f, bytes, settings_.max_file_bytes, settings_.max_file_documents);
    if (!docs) {
        return docs.err();
    }
    return files_->put(std::move(f), bytes);
}

result<file_info> knowledge_base::file(const std::string & team, const std::string & id) const {
    auto f = files_->file(id);
    if (!f) {
        return f.err();
    }
    if (!*f || (*f)->team != team) {
        return no_file(id);
    }
    return **f;
}

result<std::string> knowledge_base::file_content(const std::string & team, const std::string & id) const {
    if (auto f = file(team, id); !f) {
        return f.err();
    }
    auto c = files_->content(id);
    if (!c) {
        return c.err();
    }
    if (!*c) {
        return no_file(id);
    }
    return std::move(**c);
}

result<std::vector<file_info>> knowledge_base::files(const std::string & team, const std::string & purpose,
                                                     size_t limit, const std::string & after) const {
    return files_->files(team, purpose, limit, after);
}

result<bool> knowledge_base::delete_file(const std::string & team, const std::string & id) {
    if (auto f = file(team, id); !f) {
        return f.err();
    }
    std::lock_guard lock(changes_);
    auto in = files_->collections_of(id);
    if (!in) {
        return in.err();
    }
    for (const auto & c : *in) {
        if (auto ok = detach_locked(c, id); !ok) {
            return ok.err();
        }
    }
    return files_->remove(id);
}

result<collection_info> knowledge_base::create_collection(const std::string & team, const std::string & name,
                                                          const nlohmann::json & metadata,
                                                          const std::optional<chunk_settings> & chunking,
                                                          std::optional<bool> on_prem_only) {
    collection_info c;
    c.id = random_id("vs_");
    c.name = name;
    c.team = team;
    c.metadata = metadata.is_object() ? metadata : nlohmann::json::object();
    c.on_prem_only = on_prem_only.value_or(settings_.on_prem_only);
    auto settings = validate_chunk_settings(chunking.value_or(settings_.chunking));
    if (!settings) {
        return error::invalid(settings.err().message, "chunking_strategy", "invalid_chunking_strategy");
    }
    c.chunking = *settings;
    return store_->create_collection(std::move(c));
}

result<collection_info> knowledge_base::collection(const std::string & team, const std::string & id) const {
    auto c = store_->collection(id);
    if (!c) {
        if (c.err().kind == error_kind::not_found) {
            return no_collection(id);
        }
        return c.err();
    }
    if (c->team != team) {
        return no_collection(id);
    }
    return c;
}

result<std::vector<collection_info>> knowledge_base::collections(const std::string & team) const {
    return store_->collections(team);
}

result<std::vector<collection_info>> knowledge_base::all_collections() const { return store_->collections(); }

result<collection_info> knowledge_base::update_collection(const std::string & team, const std::string & id,
                                                          const std::optional<std::string> & name,
                                                          const std::optional<nlohmann::json> & metadata) {
    auto c = collection(team, id);
    if (!c) {
        return c.err();
    }
    if (auto ok = store_->rename_collection(id, name.value_or(c->name), metadata.value_or(c->metadata)); !ok) {
        return ok.err();
    }
    return collection(team, id);
}

result<bool> knowledge_base::delete_collection(const std::string & team, const std::string & id) {
    if (auto c = collection(team, id); !c) {
        return c.err();
    }
    std::lock_guard lock(changes_);
    auto deleted = store_->delete_collection(id);  // its attachments go with it
    if (deleted) {
        retriever_->forget(id);
    }
    return deleted;
}

result<file_counts> knowledge_base::counts(const std::string & collection) const {
    auto all = files_->attachments(collection, SIZE_MAX >> 1);
    if (!all) {
        return all.err();
    }
    file_counts n;
    for (const auto & a : *all) {
        (a.status == "completed" ? n.completed : n.failed) += 1;
    }
    return n;
}

result<attachment> knowledge_base::attach(const knowledge_caller & caller, const std::string & collection_id,
                                          const std::string & file_id, const nlohmann::json & attributes) {
    const std::string & team = caller.team;
    auto c = collection(team, collection_id);
    if (!c) {
        return c.err();
    }
    auto f = file(team, file_id);
    if (!f) {
        return f.err();
    }
    auto bytes = files_->content(file_id);
    if (!bytes) {
        return bytes.err();
    }
    if (!*bytes) {
        return no_file(file_id);
    }
    auto docs = documents_of(*f, **bytes, settings_.max_file_bytes, settings_.max_file_documents);
    if (!docs) {
        return docs.err();
    }
    std::lock_guard lock(changes_);
    if (auto ok = detach_locked(collection_id, file_id); !ok) {
        return ok.err();
    }
    attachment a;
    a.collection = collection_id;
    a.file_id = file_id;
    a.attributes = attributes.is_object() ? attributes : nlohmann::json::object();
    for (document & d : *docs) {
        for (const auto & [k, v] : a.attributes.items()) {
            d.metadata[k] = v;
        }
        auto r = ingester_->ingest(collection_id, d, caller);
        if (!r) {
            // what went in before the failure is taken out again
            for (const auto & id : a.documents) {
                if (auto change = store_->delete_document(collection_id, id); change) {
                    retriever_->apply(*change, {});
                }
            }
            return r.err();
        }
        a.documents.push_back(d.id);
        a.bytes += static_cast<int64_t>(d.text.size());
    }
    if (auto ok = retriever_->flush(); !ok) {
        return ok.err();
    }
    return files_->attach(std::move(a));
}

result<attachment> knowledge_base::attachment_of(const std::string & team, const std::string & collection_id,
                                                 const std::string & file_id) const {
    if (auto c = collection(team, collection_id); !c) {
        return c.err();
    }
    auto a = files_->attachment_of(collection_id, file_id);
    if (!a) {
        return a.err();
    }
    if (!*a) {
        return no_file(file_id);
    }
    return **a;
}

result<std::vector<attachment>> knowledge_base::attachments(const std::string & team, const std::string & collection_id,
                                                            size_t limit, const std::string & after) const {
    if (auto c = collection(team, collection_id); !c) {
        return c.err();
    }
    return files_->attachments(collection_id, limit, after);
}

result<bool> knowledge_base::detach(const std::string & team, const std::string & collection_id,
                                    const std::string & file_id) {
    if (auto a = attachment_of(team, collection_id, file_id); !a) {
        return a.err();
    }
    std::lock_guard lock(changes_);
    auto ok = detach_locked(collection_id, file_id);
    if (ok) {
        (void)retriever_->flush();
    }
    return ok;
}

result<bool> knowledge_base::detach_locked(const std::string & collection_id, const std::string & file_id) {
    auto a = files_->attachment_of(collection_id, file_id);
    if (!a) {
        return a.err();
    }
    if (!*a) {
        return false;
    }
    for (const auto & id : (*a)->documents) {
        auto change = store_->delete_document(collection_id, id);
        if (!change) {
            return change.err();
        }
        if (change->version != 0) {
            retriever_->apply(*change, {});
        }
    }
    return files_->detach(collection_id, file_id);
}

result<collection_info> knowledge_base::ensure_collection(const collection_info & wanted) {
    if (auto found = store_->collection(wanted.id)) {
        return found;
    } else if (found.err().kind != error_kind::not_found) {
        return found.err();
    }
    collection_info c = wanted;
    auto chunking = validate_chunk_settings(c.chunking);
    if (!chunking) {
        return chunking.err();
    }
    c.chunking = *chunking;
    return store_->create_collection(std::move(c));
}

result<ingest_result> knowledge_base::ingest(const knowledge_caller & caller, const std::string & collection,
                                             const document & d) {
    std::lock_guard lock(changes_);
    return ingester_->ingest(collection, d, caller);
}

result<bool> knowledge_base::flush() { return retriever_->flush(); }

result<std::vector<search_hit>> knowledge_base::search_any(const knowledge_caller & caller, search_request request) {
    request.caller = caller;
    return retriever_->search(request);
}

result<integrity_report> knowledge_base::check(const std::string & collection) const {
    if (auto c = store_->collection(collection); !c) {
        return c.err();
    }
    return store_->check_integrity(collection);
}

result<bool> knowledge_base::check_attachments() const {
    const auto & a = settings_.attached;
    for (const auto * group : {&a.by_key, &a.by_team, &a.by_model}) {
        for (const auto & [name, request] : *group) {
            for (const std::string & id : request.collections) {
                auto c = store_->collection(id);
                if (!c) {
                    return error::invalid("retrieval.attach: " + name + ": " + c.err().message, "attach");
                }
                if (group == &a.by_team && c->team != name) {
                    return error::invalid("retrieval.attach: the vector store " + id + " is not team " + name + "'s",
                                          "attach");
                }
            }
        }
    }
    return true;
}

result<collection_info> knowledge_base::collection_any(const std::string & id) const {
    auto c = store_->collection(id);
    if (!c && c.err().kind == error_kind::not_found) {
        return no_collection(id);
    }
    return c;
}

result<std::vector<knowledge_hit>> knowledge_base::search(const knowledge_caller & caller, search_request request,
                                                          bool any_team) {
    for (const auto & id : request.collections) {
        if (auto c = any_team ? collection_any(id) : collection(caller.team, id); !c) {
            return c.err();
        }
    }
    request.caller = caller;
    const auto & rs = retriever_->settings();
    // the fused score of a chunk ranked first by both lists
    const double best = rs.bm25_weight / (rs.rrf_k + 1) + rs.dense_weight / (rs.rrf_k + 1);
    request.mode = search_mode::hybrid;
    request.score_threshold *= best;
    auto hits = retriever_->search(request);
    if (!hits) {
        return hits.err();
    }
    std::map<std::string, std::string> names;
    std::vector<knowledge_hit> out;
    out.reserve(hits->size());
    for (auto & h : *hits) {
        knowledge_hit k;
        k.file_id = file_of_document(h.chunk.doc_id);
        auto [it, fresh] = names.try_emplace(k.file_id);
        if (fresh) {
            if (auto f = files_->file(k.file_id); f && *f) {
                it->second = (*f)->filename;
            }
        }
        k.filename = it->second;
        if (k.filename.empty()) {
            k.file_id.clear();  // a document ingested without a file (tiergate rag ingest)
        }
        k.relevance = std::min(1.0, h.score / best);
        k.hit = std::move(h);
        out.push_back(std::move(k));
    }
    return out;
}

}  // namespace tiergate::rag
