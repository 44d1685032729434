#include "eval/retrieval_eval.h"

#include "core/request_id.h"

#include "core/percentile.h"

#include "rag/extract.h"
#include "rag/hashed_embedder.h"
#include "rag/ingest.h"
#include "rag/store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <set>
#include <sstream>

namespace tiergate::eval {

namespace {

result<std::string> read_file(const std::string & path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return error::invalid("cannot read " + path, "file", "file_not_found");
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

result<std::vector<retrieval_query>> load_retrieval_queries(const std::string & path) {
    auto bytes = read_file(path);
    if (!bytes) {
        return bytes.err();
    }
    std::vector<retrieval_query> out;
    std::istringstream in(*bytes);
    std::string line;
    size_t line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        const nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
        if (!row.is_object() || !row.contains("text") || !row["text"].is_string() || !row.contains("id") ||
            !(row["id"].is_string() || row["id"].is_number_integer())) {
            return error::invalid(path + ": line " + std::to_string(line_no) +
                                      " is not {\"id\": string or integer, \"text\": string}",
                                  "queries", "invalid_file");
        }
        out.push_back({row["id"].is_string() ? row["id"].get<std::string>() : row["id"].dump(),
                       row["text"].get<std::string>()});
    }
    return out;
}

result<std::map<std::string, judgements>> load_qrels(const std::string & path) {
    auto bytes = read_file(path);
    if (!bytes) {
        return bytes.err();
    }
    std::map<std::string, judgements> out;
    std::istringstream in(*bytes);
    std::string line;
    size_t line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') {
            continue;
        }
        std::istringstream fields(line);
        std::string query, iteration, doc;
        int gain = 0;
        if (!(fields >> query >> iteration >> doc >> gain)) {
            return error::invalid(path + ": line " + std::to_string(line_no) + " is not \"query 0 doc gain\"", "qrels",
                                  "invalid_file");
        }
        out[query][doc] = std::max(out[query][doc], gain);
    }
    return out;
}

result<std::map<std::string, retrieval_scores>> evaluate_retrieval(const retrieval_eval_options & options,
                                                                   std::ostream & progress) {
    auto doc_bytes = read_file(options.docs);
    if (!doc_bytes) {
        return doc_bytes.err();
    }
    rag::extract_limits limits;
    limits.max_bytes = SIZE_MAX;
    auto docs = rag::extract_documents(*doc_bytes, rag::file_format::jsonl, options.docs, limits);
    if (!docs) {
        return docs.err();
    }
    auto queries = load_retrieval_queries(options.queries);
    if (!queries) {
        return queries.err();
    }
    auto qrels = load_qrels(options.qrels);
    if (!qrels) {
        return qrels.err();
    }
    auto chunking = rag::validate_chunk_settings(options.chunking);
    if (!chunking) {
        return chunking.err();
    }

    auto opened = rag::store::open(options.store);
    if (!opened) {
        return opened.err();
    }
    rag::store & store = **opened;
    // a collection of this run's own, gone afterwards
    const std::string collection = options.store == ":memory:" ? std::string("eval") : new_request_id("eval");
    rag::collection_info c;
    c.id = collection;
    c.name = "evaluation";
    c.chunking = *chunking;
    if (auto made = store.create_collection(c); !made) {
        return made.err();
    }
    struct dropped {
        rag::store & s;
        const std::string & id;
        ~dropped() { (void)s.delete_collection(id); }
    } drop_after{store, collection};
    rag::hashed_embedder embedder(options.dims);
    rag::retriever retriever(store, embedder, options.retriever);
    rag::ingester ingester(store, embedder, &retriever);
    const auto started = std::chrono::steady_clock::now();
    size_t chunks = 0;
    for (const rag::document & d : *docs) {
        auto r = ingester.ingest(collection, d);
        if (!r) {
            return r.err();
        }
        chunks += static_cast<size_t>(r->document.chunks);
    }
    const double ingest_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    progress << "ingested " << docs->size() << " documents (" << chunks << " chunks) in " << std::fixed
             << std::setprecision(2) << ingest_s << " s\n";

    std::map<std::string, retrieval_scores> out;
    for (rag::search_mode mode : options.modes) {
        retrieval_scores s;
        std::vector<double> latencies;
        for (const retrieval_query & q : *queries) {
            auto judged = qrels->find(q.id);
            if (judged == qrels->end() ||
                std::none_of(judged->second.begin(), judged->second.end(), [](const auto & p) { return p.second > 0; })) {
                continue;
            }
            rag::search_request req;
            req.collections = {collection};
            req.query = q.text;
            req.mode = mode;
            req.top_k = 300;  // chunks; enough for 100 distinct documents
            const auto t0 = std::chrono::steady_clock::now();
            auto hits = retriever.search(req);
            latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            if (!hits) {
                return hits.err();
            }
            std::vector<std::string> ranked;
            std::set<std::string> seen;
            for (const rag::search_hit & h : *hits) {
                if (seen.insert(h.chunk.doc_id).second) {
                    ranked.push_back(h.chunk.doc_id);
                }
            }
            ++s.queries;
            s.ndcg10 += ndcg_at(ranked, judged->second, 10);
            s.recall100 += recall_at(ranked, judged->second, 100);
            s.mrr10 += mrr_at(ranked, judged->second, 10);
        }
        if (s.queries) {
            s.ndcg10 /= static_cast<double>(s.queries);
            s.recall100 /= static_cast<double>(s.queries);
            s.mrr10 /= static_cast<double>(s.queries);
        }
        s.p50_ms = percentile(latencies, 50);
        s.p99_ms = percentile(latencies, 99);
        out[rag::search_mode_name(mode)] = s;
    }
    return out;
}

int run_eval_retrieval(const retrieval_eval_options & options, bool json, std::ostream & out, std::ostream & err) {
    auto scores = evaluate_retrieval(options, err);
    if (!scores) {
        err << "error: " << scores.err().message << "\n";
        return 1;
    }
    if (json) {
        nlohmann::json j = nlohmann::json::object();
        for (const auto & [mode, s] : *scores) {
            j[mode] = {{"queries", s.queries},       {"ndcg@10", s.ndcg10}, {"recall@100", s.recall100},
                       {"mrr@10", s.mrr10},          {"search_p50_ms", s.p50_ms}, {"search_p99_ms", s.p99_ms}};
        }
        out << j.dump() << "\n";
        return 0;
    }
    char line[160];
    std::snprintf(line, sizeof line, "%-8s %8s %9s %11s %8s %9s %9s\n", "mode", "queries", "nDCG@10", "Recall@100",
                  "MRR@10", "p50 ms", "p99 ms");
    out << line;
    for (const auto & [mode, s] : *scores) {
        std::snprintf(line, sizeof line, "%-8s %8zu %9.4f %11.4f %8.4f %9.3f %9.3f\n", mode.c_str(), s.queries, s.ndcg10,
                      s.recall100, s.mrr10, s.p50_ms, s.p99_ms);
        out << line;
    }
    return 0;
}

}  // namespace tiergate::eval
