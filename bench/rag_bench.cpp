// Retrieval speed and HNSW recall, one thread, seeded data.
//   rag_bench vectors [--n 100000] [--dims 384] [--queries 1000] [--build-threads 1]
//     HNSW (M 16, ef_construction 200) against exact search on clustered unit
//     vectors: build time (on the given threads) and memory, recall@10 and
//     query p50/p99 (one thread) per ef.
//   rag_bench text [--docs 20000] [--queries 500] [--query-skip-top 0]
//     ingestion (chunks/s, through the built-in embedder into the SQLite
//     store), the HNSW build, then BM25 (with and without RM3 expansion),
//     dense and hybrid search p50/p99 over the ingested chunks. Queries are
//     2 to 5 Zipf-distributed words; --query-skip-top N leaves out the N
//     most frequent words, as stop words are left out of real queries.
// Results: docs/benchmarks.md ("Retrieval").

#include "core/percentile.h"
#include "rag/flat_index.h"
#include "rag/hashed_embedder.h"
#include "rag/hnsw_index.h"
#include "rag/ingest.h"
#include "rag/retriever.h"
#include "rag/sqlite_store.h"
#include "rag/store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace tiergate;
using clock_type = std::chrono::steady_clock;

double since_ms(clock_type::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

// Resident memory of this process in MiB (Linux).
double rss_mib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
        }
    }
    return 0;
}

size_t arg(int argc, char ** argv, const char * name, size_t fallback) {
    for (int i = 2; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0) {
            return static_cast<size_t>(std::strtoull(argv[i + 1], nullptr, 10));
        }
    }
    return fallback;
}

// Seeded stand-ins for real embeddings: unit vectors around 200 centres,
// each cluster spread along a subspace of its own (16 random directions)
// plus a little isotropic noise. Real embeddings lie near such
// low-dimensional structure (their intrinsic dimension is tens, not
// hundreds); isotropic noise over all 384 dimensions would make every
// neighbour about as far as any other, a shape no embedding model produces.
struct cluster_model {
    std::vector<std::vector<float>> centres;
    std::vector<std::vector<float>> bases;  // per cluster: latent x dims, row-major
    uint32_t latent = 16;
};

cluster_model make_clusters(uint32_t dims, std::mt19937 & rng) {
    std::normal_distribution<float> g;
    cluster_model m;
    for (int c = 0; c < 200; ++c) {
        std::vector<float> centre(dims);
        for (float & x : centre) {
            x = g(rng);
        }
        rag::normalize(centre);
        m.centres.push_back(std::move(centre));
        std::vector<float> basis(static_cast<size_t>(m.latent) * dims);
        for (float & x : basis) {
            x = g(rng) / std::sqrt(static_cast<float>(dims));
        }
        m.bases.push_back(std::move(basis));
    }
    return m;
}

std::vector<float> clustered(size_t n, uint32_t dims, std::mt19937 & rng, const cluster_model & m) {
    std::normal_distribution<float> g;
    std::vector<float> out(n * dims);
    std::vector<float> z(m.latent);
    for (size_t i = 0; i < n; ++i) {
        const size_t k = rng() % m.centres.size();
        std::span<float> v(out.data() + i * dims, dims);
        for (float & x : z) {
            x = 0.35f * g(rng);
        }
        for (uint32_t d = 0; d < dims; ++d) {
            float x = m.centres[k][d] + 0.02f * g(rng);
            for (uint32_t l = 0; l < m.latent; ++l) {
                x += z[l] * m.bases[k][static_cast<size_t>(l) * dims + d];
            }
            v[d] = x;
        }
        rag::normalize(v);
    }
    return out;
}

int run_vectors(size_t n, uint32_t dims, size_t queries, size_t threads) {
    std::mt19937 rng(42);
    const cluster_model model = make_clusters(dims, rng);
    const std::vector<float> data = clustered(n, dims, rng, model);
    const std::vector<float> qs = clustered(queries, dims, rng, model);
    auto row = [&](const std::vector<float> & m, size_t i) { return std::span<const float>(m.data() + i * dims, dims); };

    rag::flat_index flat(dims);
    for (size_t i = 0; i < n; ++i) {
        flat.add(static_cast<int64_t>(i), row(data, i));
    }
    std::vector<std::vector<int64_t>> truth(queries);
    std::vector<double> exact_ms;
    for (size_t q = 0; q < queries; ++q) {
        const auto t0 = clock_type::now();
        auto top = flat.search(row(qs, q), 10);
        exact_ms.push_back(since_ms(t0));
        for (const auto & h : top) {
            truth[q].push_back(h.id);
        }
    }
    std::printf("vectors: %zu x %u, %zu queries, one thread\n", n, dims, queries);
    std::printf("exact: p50 %.2f ms, p99 %.2f ms per query\n", percentile(exact_ms, 50), percentile(exact_ms, 99));

    const double rss0 = rss_mib();
    const auto t0 = clock_type::now();
    rag::hnsw_index hnsw(dims, {}, n);
    std::vector<int64_t> ids(n);
    for (size_t i = 0; i < n; ++i) {
        ids[i] = static_cast<int64_t>(i);
    }
    hnsw.add_many(ids, data, threads);
    const double build_s = since_ms(t0) / 1000.0;
    const double raw_mib = static_cast<double>(n) * dims * sizeof(float) / (1024.0 * 1024.0);
    std::printf("hnsw build on %zu thread(s): %.1f s (%.0f vectors/s), index memory %.0f MiB (vectors alone %.0f MiB)\n",
                threads, build_s, static_cast<double>(n) / build_s, rss_mib() - rss0, raw_mib);
    std::printf("%6s %10s %10s %10s\n", "ef", "recall@10", "p50 ms", "p99 ms");
    for (size_t ef : {16, 32, 64, 96, 128, 256}) {
        hnsw.set_ef(ef);
        std::vector<double> ms;
        size_t found = 0;
        for (size_t q = 0; q < queries; ++q) {
            const auto q0 = clock_type::now();
            auto top = hnsw.search(row(qs, q), 10);
            ms.push_back(since_ms(q0));
            const std::set<int64_t> want(truth[q].begin(), truth[q].end());
            for (const auto & h : top) {
                found += want.count(h.id);
            }
        }
        std::printf("%6zu %10.4f %10.3f %10.3f\n", ef, static_cast<double>(found) / (10.0 * static_cast<double>(queries)),
                    percentile(ms, 50), percentile(ms, 99));
    }
    return 0;
}

// Zipf-distributed words over a synthetic vocabulary: term statistics like
// prose, so that BM25's posting lists have realistic lengths.
class zipf_words {
  public:
    explicit zipf_words(size_t vocabulary) {
        double sum = 0;
        for (size_t r = 1; r <= vocabulary; ++r) {
            sum += 1.0 / static_cast<double>(r);
            cdf_.push_back(sum);
        }
        for (double & c : cdf_) {
            c /= sum;
        }
        for (size_t r = 0; r < vocabulary; ++r) {
            std::string w;
            size_t x = r * 2654435761u + 17;
            const size_t len = 3 + x % 7;
            for (size_t i = 0; i < len; ++i) {
                w += static_cast<char>('a' + (x >> (i * 3)) % 26);
            }
            words_.push_back(w + std::to_string(r % 97));
        }
    }
    // A word by its Zipf probability; with `skip`, never one of the `skip`
    // most frequent (the stop words of this vocabulary, as a query has none).
    const std::string & next(std::mt19937 & rng, size_t skip = 0) {
        const double lo = skip > 0 && skip <= cdf_.size() ? cdf_[skip - 1] : 0.0;
        const double u = std::uniform_real_distribution<double>(lo, 1)(rng);
        const size_t r = static_cast<size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
        return words_[std::min(r, words_.size() - 1)];
    }

  private:
    std::vector<double> cdf_;
    std::vector<std::string> words_;
};

int run_text(size_t docs, size_t queries, size_t query_skip) {
    const auto dir = std::filesystem::temp_directory_path() / ("tiergate-rag-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string db = (dir / "bench.db").string();
    int rc = 0;
    {
        auto s = rag::store::open(db);
        if (!s) {
            std::fprintf(stderr, "%s\n", s.err().message.c_str());
            return 1;
        }
        rag::collection_info c;
        c.id = c.name = "bench";
        c.chunking = {256, 32};
        if (auto made = (*s)->create_collection(c); !made) {
            std::fprintf(stderr, "%s\n", made.err().message.c_str());
            return 1;
        }
        rag::hashed_embedder embedder(384);
        rag::retriever_settings settings;
        settings.index_dir = (dir / "index").string();
        rag::retriever retriever(**s, embedder, settings);
        rag::ingester ingester(**s, embedder, &retriever);
        zipf_words vocab(50000);
        std::mt19937 rng(7);
        size_t chunks = 0, bytes = 0;
        const auto t0 = clock_type::now();
        for (size_t i = 0; i < docs; ++i) {
            rag::document d;
            d.id = "doc-" + std::to_string(i);
            d.title = vocab.next(rng) + " " + vocab.next(rng);
            const size_t words = 300 + rng() % 900;
            for (size_t w = 0; w < words; ++w) {
                d.text += vocab.next(rng);
                d.text += (w % 17 == 16) ? ". " : " ";
                if (w % 120 == 119) {
                    d.text += "\n\n";
                }
            }
            d.metadata = {{"group", static_cast<int>(i % 10)}};
            bytes += d.text.size();
            auto r = ingester.ingest("bench", d);
            if (!r) {
                std::fprintf(stderr, "%s\n", r.err().message.c_str());
                return 1;
            }
            chunks += static_cast<size_t>(r->document.chunks);
        }
        const double ingest_s = since_ms(t0) / 1000.0;
        std::printf("ingest: %zu documents, %zu chunks, %.1f MB in %.1f s: %.0f chunks/s, %.0f documents/s\n", docs,
                    chunks, static_cast<double>(bytes) / 1e6, ingest_s, static_cast<double>(chunks) / ingest_s,
                    static_cast<double>(docs) / ingest_s);
        {
            // the first dense search builds the HNSW index from the stored vectors
            rag::search_request req;
            req.collections = {"bench"};
            req.query = vocab.next(rng);
            req.mode = rag::search_mode::dense;
            const auto b0 = clock_type::now();
            if (!retriever.search(req)) {
                rc = 1;
            }
            std::printf("HNSW build from %zu stored vectors: %.1f s\n", chunks, since_ms(b0) / 1000.0);
        }
        const auto f0 = clock_type::now();
        if (auto ok = retriever.flush(); !ok) {
            std::fprintf(stderr, "%s\n", ok.err().message.c_str());
            rc = 1;
        }
        std::printf("index save: %.0f ms\n", since_ms(f0));

        struct variant {
            rag::search_mode mode;
            bool expand;
        };
        std::printf("%8s %10s %8s %10s %10s\n", "mode", "expansion", "filter", "p50 ms", "p99 ms");
        for (const variant v : {variant{rag::search_mode::bm25, false}, variant{rag::search_mode::bm25, true},
                                variant{rag::search_mode::dense, false}, variant{rag::search_mode::hybrid, false},
                                variant{rag::search_mode::hybrid, true}}) {
            const rag::search_mode mode = v.mode;
            rag::retriever_settings vs = settings;
            vs.feedback.documents = v.expand ? 8 : 0;
            vs.feedback.max_chunks = INT64_MAX;  // measured here at any size
            rag::retriever searcher(**s, embedder, vs);
            for (const bool filtered : {false, true}) {
                std::mt19937 qrng(11);
                std::vector<double> ms;
                size_t empty = 0;
                for (size_t q = 0; q < queries; ++q) {
                    rag::search_request req;
                    req.collections = {"bench"};
                    req.mode = mode;
                    req.top_k = 10;
                    const size_t terms = 2 + qrng() % 4;
                    for (size_t t = 0; t < terms; ++t) {
                        req.query += vocab.next(qrng, query_skip) + " ";
                    }
                    if (filtered) {
                        req.filters = nlohmann::json{{"type", "eq"}, {"key", "group"}, {"value", 3}};
                    }
                    const auto q0 = clock_type::now();
                    auto hits = searcher.search(req);
                    ms.push_back(since_ms(q0));
                    if (std::getenv("RAG_BENCH_SLOW") && ms.back() > 10.0) {
                        std::printf("  slow query (%.1f ms): %s\n", ms.back(), req.query.c_str());
                    }
                    if (!hits) {
                        std::fprintf(stderr, "%s\n", hits.err().message.c_str());
                        return 1;
                    }
                    empty += hits->empty();
                }
                if (const auto * sqlite = dynamic_cast<const rag::sqlite_store *>(s->get())) {
                    const auto st = sqlite->search_stats();
                    std::printf("  (full-text searches so far: %zu, %zu with frequent terms apart, %zu run again over every term)\n",
                                st.searches, st.split, st.fallbacks);
                }
                std::printf("%8s %10s %8s %10.2f %10.2f%s\n", rag::search_mode_name(mode), v.expand ? "RM3" : "none",
                            filtered ? "group=3" : "none",
                            percentile(ms, 50), percentile(ms, 99),
                            empty ? (" (" + std::to_string(empty) + " queries without hits)").c_str() : "");
            }
        }
        // A fresh process: the saved index loads instead of being rebuilt.
        rag::retriever reopened(**s, embedder, settings);
        rag::search_request req;
        req.collections = {"bench"};
        req.query = vocab.next(rng);
        req.mode = rag::search_mode::dense;
        const auto l0 = clock_type::now();
        if (!reopened.search(req)) {
            rc = 1;
        }
        std::printf("first dense search of a new retriever (index loaded from disk): %.0f ms\n", since_ms(l0));
        std::filesystem::remove_all(settings.index_dir);
        rag::retriever rebuilt(**s, embedder, settings);
        const auto r0 = clock_type::now();
        if (!rebuilt.search(req)) {
            rc = 1;
        }
        std::printf("first dense search without the index file (rebuilt from stored vectors): %.0f ms\n", since_ms(r0));
    }
    std::filesystem::remove_all(dir);
    return rc;
}

}  // namespace

int main(int argc, char ** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress as it comes, also into a file
    const std::string what = argc > 1 ? argv[1] : "";
    if (what == "vectors") {
        return run_vectors(arg(argc, argv, "--n", 100000), static_cast<uint32_t>(arg(argc, argv, "--dims", 384)),
                           arg(argc, argv, "--queries", 1000), arg(argc, argv, "--build-threads", 1));
    }
    if (what == "text") {
        return run_text(arg(argc, argv, "--docs", 20000), arg(argc, argv, "--queries", 500),
                        arg(argc, argv, "--query-skip-top", 0));
    }
    std::fprintf(stderr, "usage: rag_bench vectors [--n N] [--dims D] [--queries Q] [--build-threads T] | text [--docs N] [--queries Q] [--query-skip-top N]\n");
    return 2;
}
