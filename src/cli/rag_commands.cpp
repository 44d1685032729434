#include "cli/rag_commands.h"

#include "auth/key_verifier.h"
#include "cli/cli_errors.h"
#include "cli/cli_group.h"
#include "cli/gateway_assembly.h"
#include "config/load_config.h"
#include "core/request_id.h"
#include "eval/retrieval_eval.h"
#include "rag/extract.h"
#include "obs/log.h"
#include "rag/knowledge_base.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace tiergate::cli {
namespace {

namespace fs = std::filesystem;

struct store_options {
    std::string db = "tiergate-rag.db";
    std::string index_dir;
    std::string config;
    std::string collection;
    uint32_t dims = 384;
};

void add_store_options(CLI::App * cmd, store_options & o) {
    cmd->add_option("--db", o.db, "the retrieval store: a SQLite file or a postgresql:// URL")->capture_default_str();
    cmd->add_option("--index-dir", o.index_dir, "where the HNSW indexes live (default <db>.index/; needed with PostgreSQL)");
    cmd->add_option("--config", o.config,
                    "a gateway config: its retrieval section (store, indexes, embedding model) replaces --db and "
                    "--index-dir, and embedding goes through its gateway (budgets, ledger)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--collection", o.collection, "collection id")->required();
    cmd->add_option("--dims", o.dims, "dimensions of the built-in embedder (tiergate-lexical-<dims>)")
        ->capture_default_str()
        ->check(CLI::Range(16u, 4096u));
}

// The knowledge layer a command works on: from the flags (the built-in
// embedder), or with --config the gateway's own (its embedding model, its
// budgets and ledger).
struct knowledge_access {
    std::unique_ptr<gateway_assembly> assembly;
    std::unique_ptr<rag::knowledge_base> own;
    rag::knowledge_base * kb = nullptr;
};

knowledge_access open_knowledge(const store_options & o) {
    knowledge_access out;
    if (!o.config.empty()) {
        obs::setup_logging({"warn", obs::log_format::text, ""});
        auto loaded = config::load_config_file(o.config);
        if (!loaded.ok()) {
            std::fprintf(stderr, "%s", loaded.errors_text().c_str());
            throw CLI::RuntimeError(2);
        }
        if (!loaded.value->retrieval.section.present()) {
            fail(error::invalid(o.config + " has no retrieval section", "config"));
        }
        assembly_failure failure;
        out.assembly = gateway_assembly::build(std::move(*loaded.value), failure);
        if (!out.assembly) {
            if (!failure.message.empty()) {
                std::fprintf(stderr, "error: %s\n", failure.message.c_str());
            }
            throw CLI::RuntimeError(failure.exit_code);
        }
        out.kb = out.assembly->knowledge.get();
        return out;
    }
    rag::knowledge_settings settings;
    settings.store_path = o.db;
    settings.index_dir = o.index_dir;
    settings.dims = o.dims;
    out.own = take(rag::knowledge_base::open(settings));
    out.kb = out.own.get();
    return out;
}

std::vector<fs::path> input_files(const std::string & input) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
        for (const auto & entry : fs::recursive_directory_iterator(input, fs::directory_options::skip_permission_denied, ec)) {
            if (entry.is_regular_file() && rag::format_of(entry.path().string())) {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
    } else if (fs::is_regular_file(input, ec)) {
        take(rag::format_of(input));
        files.emplace_back(input);
    } else {
        fail(error{error_kind::not_found, "no file or directory " + input, "input", "file_not_found", {}});
    }
    return files;
}

std::string read_all(const fs::path & path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail(error{error_kind::not_found, "cannot read " + path.string(), "input", "file_not_found", {}});
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// One line on stderr, rewritten in place at most twice a second.
class progress_line {
  public:
    explicit progress_line(size_t total_bytes) : total_(total_bytes), start_(std::chrono::steady_clock::now()) {}
    void update(size_t docs, size_t chunks, size_t bytes_done, bool final = false) {
        const auto now = std::chrono::steady_clock::now();
        if (!final && now - last_ < std::chrono::milliseconds(500)) {
            return;
        }
        last_ = now;
        const double s = std::max(1e-6, std::chrono::duration<double>(now - start_).count());
        const double rate = static_cast<double>(bytes_done) / s;
        const double eta = rate > 0 && total_ > bytes_done ? static_cast<double>(total_ - bytes_done) / rate : 0;
        std::fprintf(stderr, "\r%zu documents, %zu chunks, %.0f documents/s, %.0f%%, ETA %.0f s   ", docs, chunks,
                     static_cast<double>(docs) / s, total_ ? 100.0 * static_cast<double>(bytes_done) / total_ : 100.0,
                     eta);
        if (final) {
            std::fprintf(stderr, "\n");
        }
    }

  private:
    size_t total_;
    std::chrono::steady_clock::time_point start_, last_{};
};

void register_ingest(CLI::App & rag) {
    struct ingest_options : store_options {
        std::string input;
        size_t chunk_tokens = 256, overlap_tokens = 32;
        std::string team;
        bool on_prem_only = false;
    };
    auto o = std::make_shared<ingest_options>();
    CLI::App * cmd = rag.add_subcommand("ingest", "ingest a file or a directory (.txt .md .html .pdf .jsonl) into a collection");
    cmd->add_option("input", o->input, "file or directory")->required();
    add_store_options(cmd, *o);
    cmd->add_option("--chunk-tokens", o->chunk_tokens, "chunk size of a new collection, in tokens")->capture_default_str();
    cmd->add_option("--overlap-tokens", o->overlap_tokens, "overlap of a new collection's chunks")->capture_default_str();
    cmd->add_option("--team", o->team, "the team a new collection belongs to");
    cmd->add_flag("--on-prem-only", o->on_prem_only, "a new collection's text may reach on-prem models only");
    cmd->callback([o]() {
        guarded([&] {
            const auto files = input_files(o->input);
            auto access = open_knowledge(*o);
            rag::knowledge_base & kb = *access.kb;
            rag::collection_info wanted;
            wanted.id = o->collection;
            wanted.name = o->collection;
            wanted.team = o->team;
            wanted.on_prem_only = o->on_prem_only;
            wanted.chunking = {o->chunk_tokens, o->overlap_tokens};
            const rag::collection_info collection = take(kb.ensure_collection(wanted));
            // the embedding is the operator's work for the collection's team:
            // key "cli" of that team in the budgets and the ledger
            auto operator_key = std::make_shared<auth::key_identity>();
            operator_key->key_id = "cli";
            operator_key->team = collection.team;
            const knowledge_caller caller{collection.team, operator_key, new_request_id("cli")};
            size_t total = 0;
            for (const auto & f : files) {
                std::error_code ec;
                total += static_cast<size_t>(fs::file_size(f, ec));
            }
            progress_line progress(total);
            size_t docs = 0, chunks = 0, done = 0, failed = 0;
            for (const auto & f : files) {
                const std::string bytes = read_all(f);
                auto extracted = rag::extract_documents(bytes, take(rag::format_of(f.string())), f.string());
                if (!extracted) {
                    std::fprintf(stderr, "\nskipped: %s\n", extracted.err().message.c_str());
                    ++failed;
                    done += bytes.size();
                    continue;
                }
                const size_t per_doc = extracted->empty() ? 0 : bytes.size() / extracted->size();
                for (const rag::document & d : *extracted) {
                    auto r = kb.ingest(caller, o->collection, d);
                    if (!r) {
                        std::fprintf(stderr, "\nskipped %s (%s): %s\n", d.id.c_str(), f.string().c_str(),
                                     r.err().message.c_str());
                        ++failed;
                    } else {
                        ++docs;
                        chunks += static_cast<size_t>(r->document.chunks);
                    }
                    done += per_doc;
                    progress.update(docs, chunks, done);
                }
            }
            progress.update(docs, chunks, total, true);
            take(kb.flush());
            const auto info = take(kb.collection_any(o->collection));
            std::cout << nlohmann::json{{"collection", info.id},         {"ingested", docs},
                                        {"chunks", chunks},              {"failed", failed},
                                        {"documents_total", info.documents}, {"chunks_total", info.chunks}}
                             .dump()
                      << "\n";
            if (failed) {
                throw CLI::RuntimeError(1);
            }
        });
    });
}

void register_search(CLI::App & rag) {
    struct search_options : store_options {
        std::string query, mode = "hybrid", filters;
        size_t k = 5;
        bool exact = false;
    };
    auto o = std::make_shared<search_options>();
    CLI::App * cmd = rag.add_subcommand("search", "search a collection and print the hits as JSON Lines");
    cmd->add_option("query", o->query, "the query")->required();
    add_store_options(cmd, *o);
    cmd->add_option("--mode", o->mode, "bm25, dense or hybrid")->capture_default_str();
    cmd->add_option("-k,--top-k", o->k, "hits to print")->capture_default_str();
    cmd->add_option("--filters", o->filters, "a metadata filter, as JSON in the OpenAI vector-store shape");
    cmd->add_flag("--exact", o->exact, "dense search by brute force instead of HNSW");
    cmd->callback([o]() {
        guarded([&] {
            auto access = open_knowledge(*o);
            rag::knowledge_base & kb = *access.kb;
            rag::search_request req;
            req.collections = {o->collection};
            req.query = o->query;
            req.mode = take(rag::parse_search_mode(o->mode));
            req.top_k = o->k;
            req.exact = o->exact;
            if (!o->filters.empty()) {
                req.filters = nlohmann::json::parse(o->filters, nullptr, false);
                if (req.filters->is_discarded()) {
                    fail(error::invalid("--filters is not JSON", "filters"));
                }
            }
            for (const rag::search_hit & h : take(kb.search_any(knowledge_caller{"", nullptr, new_request_id("cli")}, req))) {
                nlohmann::json j{{"score", h.score},          {"document", h.chunk.doc_id}, {"chunk", h.chunk.id},
                                 {"begin", h.chunk.begin},    {"end", h.chunk.end},         {"title", h.chunk.title},
                                 {"text", h.chunk.text}};
                if (h.bm25) {
                    j["bm25"] = *h.bm25;
                }
                if (h.dense) {
                    j["dense"] = *h.dense;
                }
                std::cout << j.dump() << "\n";
            }
            take(kb.flush());
        });
    });
}

void register_check(CLI::App & rag) {
    auto o = std::make_shared<store_options>();
    CLI::App * cmd = rag.add_subcommand("check", "check a collection's consistency (documents, chunks, vectors, FTS index)");
    add_store_options(cmd, *o);
    cmd->callback([o]() {
        guarded([&] {
            if (o->config.empty() && o->db.find("://") == std::string::npos && !fs::exists(o->db)) {
                fail(error{error_kind::not_found, "no retrieval store at " + o->db, "db", "", {}});
            }
            auto access = open_knowledge(*o);
            const rag::integrity_report r = take(access.kb->check(o->collection));
            std::cout << nlohmann::json{{"documents", r.documents},     {"declared_chunks", r.declared_chunks},
                                        {"stored_chunks", r.stored_chunks}, {"vectors", r.vectors},
                                        {"fts_consistent", r.fts_consistent}, {"ok", r.ok()}}
                             .dump()
                      << "\n";
            if (!r.ok()) {
                throw CLI::RuntimeError(1);
            }
        });
    });
}

void register_eval(CLI::App & rag) {
    struct eval_options {
        eval::retrieval_eval_options e;
        std::string mode = "all";
        bool json = false;
    };
    auto o = std::make_shared<eval_options>();
    CLI::App * cmd = rag.add_subcommand(
        "eval", "nDCG@10, Recall@100 and MRR@10 of bm25, dense and hybrid search on a test collection with TREC qrels");
    cmd->add_option("--docs", o->e.docs, "documents, JSON Lines {id, title, text}")->required();
    cmd->add_option("--queries", o->e.queries, "queries, JSON Lines {id, text}")->required();
    cmd->add_option("--qrels", o->e.qrels, "judgements, TREC qrels: query 0 doc gain")->required();
    cmd->add_option("--store", o->e.store,
                    "where to ingest them: in memory, or a collection of its own (deleted afterwards) in a SQLite "
                    "file or a postgresql:// store")
        ->capture_default_str();
    cmd->add_option("--mode", o->mode, "bm25, dense, hybrid or all")->capture_default_str();
    cmd->add_option("--chunk-tokens", o->e.chunking.max_tokens, "chunk size")->capture_default_str();
    cmd->add_option("--overlap-tokens", o->e.chunking.overlap_tokens, "chunk overlap")->capture_default_str();
    cmd->add_option("--title-weight", o->e.retriever.weights.title, "BM25 weight of the title column")
        ->capture_default_str();
    cmd->add_option("--text-weight", o->e.retriever.weights.text, "BM25 weight of the text column")
        ->capture_default_str();
    cmd->add_option("--k1", o->e.retriever.weights.k1, "BM25 k1")->capture_default_str();
    cmd->add_option("--b", o->e.retriever.weights.b, "BM25 b")->capture_default_str();
    cmd->add_option("--feedback-docs", o->e.retriever.feedback.documents,
                    "chunks of a first BM25 pass whose terms expand the query (RM3); 0: no expansion")
        ->capture_default_str();
    cmd->add_option("--feedback-terms", o->e.retriever.feedback.terms, "expansion terms kept")->capture_default_str();
    cmd->add_option("--query-weight", o->e.retriever.feedback.query_weight,
                    "the query's own words' share of the expanded query's weight")
        ->capture_default_str();
    cmd->add_option("--feedback-max-chunks", o->e.retriever.feedback.max_chunks,
                    "no expansion in searches over more chunks than this")
        ->capture_default_str();
    cmd->add_option("--dense-weight", o->e.retriever.dense_weight, "the dense list's weight in hybrid fusion")
        ->capture_default_str();
    cmd->add_option("--dims", o->e.dims, "dimensions of the built-in embedder")->capture_default_str();
    cmd->add_flag("--json", o->json, "print one JSON object keyed by mode");
    cmd->callback([o]() {
        guarded([&] {
            if (o->mode != "all") {
                o->e.modes = {take(rag::parse_search_mode(o->mode))};
            }
            const int code = eval::run_eval_retrieval(o->e, o->json, std::cout, std::cerr);
            if (code != 0) {
                throw CLI::RuntimeError(code);
            }
        });
    });
}

}  // namespace

void register_rag_commands(CLI::App & root) {
    CLI::App & rag = command_group(root, "rag", "retrieval: collections, ingestion, search and evaluation");
    register_ingest(rag);
    register_search(rag);
    register_check(rag);
    register_eval(rag);
}

}  // namespace tiergate::cli
