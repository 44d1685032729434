#include "rag/sqlite_fts.h"

#include "rag/fts_query.h"
#include "rag/sqlite_statement.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace tiergate::rag {

namespace {

// Collections smaller than this are always searched over every term.
constexpr int64_t split_from_chunks = 20000;
// A term in more than this share of a collection's chunks is frequent.
constexpr double frequent_share = 0.05;
// Cached term statistics: how many collections, and terms per collection.
constexpr size_t cached_collections = 64;
constexpr size_t cached_terms = 200000;
// Cached document frequencies stand this long after their collection changed.
constexpr std::chrono::seconds stats_tolerance{10};

std::string name(const char * prefix, int64_t n) { return std::string(prefix) + std::to_string(n); }

std::string quote_literal(const std::string & s) {
    std::string out = "'";
    for (char c : s) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

std::string numbers_text(const std::vector<double> & values) {
    std::string out;
    char buf[32];
    for (double v : values) {
        std::snprintf(buf, sizeof buf, "%.17g ", v);
        out += buf;
    }
    return out;
}

}  // namespace

result<bool> sqlite_fts::create(int64_t n, const std::string & collection) {
    const std::string fts = name("chunks_fts_", n), view = name("chunks_view_", n), vocab = name("chunks_vocab_", n);
    const std::string sql = "CREATE VIEW IF NOT EXISTS " + view + " AS SELECT id, title, text FROM chunks WHERE collection = " +
                            quote_literal(collection) + ";" + "CREATE VIRTUAL TABLE IF NOT EXISTS " + fts +
                            " USING fts5(title, text, content='" + view +
                            "', content_rowid='id', tokenize='porter unicode61');" +
                            "CREATE VIRTUAL TABLE IF NOT EXISTS " + vocab + " USING fts5vocab(" + fts + ", row);" +
                            "INSERT INTO " + fts + "(" + fts + ") VALUES('rebuild');";
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "create the full-text index of '" + collection + "'");
    }
    return true;
}

result<bool> sqlite_fts::drop(int64_t n) {
    const std::string sql = "DROP TABLE IF EXISTS " + name("chunks_vocab_", n) + "; DROP TABLE IF EXISTS " +
                            name("chunks_fts_", n) + "; DROP VIEW IF EXISTS " + name("chunks_view_", n) + ";";
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "drop a full-text index");
    }
    stats_by_collection_.erase(n);
    return true;
}

result<bool> sqlite_fts::remove_document(int64_t n, const std::string & collection, const std::string & doc_id) {
    const std::string fts = name("chunks_fts_", n);
    statement st;
    const std::string sql = "INSERT INTO " + fts + "(" + fts +
                            ", rowid, title, text) SELECT 'delete', id, title, text FROM chunks "
                            "WHERE collection = ? AND doc_id = ?";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "prepare");
    }
    bind_text(st.s, 1, collection);
    bind_text(st.s, 2, doc_id);
    if (sqlite3_step(st.s) != SQLITE_DONE) {
        return sqlite_error(db_, "unindex a document");
    }
    return true;
}

result<bool> sqlite_fts::add_document(int64_t n, const std::string & collection, const std::string & doc_id) {
    const std::string fts = name("chunks_fts_", n);
    statement st;
    const std::string sql = "INSERT INTO " + fts +
                            "(rowid, title, text) SELECT id, title, text FROM chunks WHERE collection = ? AND doc_id = ?";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "prepare");
    }
    bind_text(st.s, 1, collection);
    bind_text(st.s, 2, doc_id);
    if (sqlite3_step(st.s) != SQLITE_DONE) {
        return sqlite_error(db_, "index a document");
    }
    return true;
}

bool sqlite_fts::consistent(int64_t n) const {
    const std::string fts = name("chunks_fts_", n);
    const std::string sql = "INSERT INTO " + fts + "(" + fts + ", rank) VALUES('integrity-check', 1)";
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

result<int64_t> sqlite_fts::document_frequency(int64_t n, int64_t version, const std::string & stem) {
    using clock = std::chrono::steady_clock;
    auto & stats = stats_by_collection_[n];
    recent_.remove(n);
    recent_.push_front(n);
    while (recent_.size() > cached_collections) {
        stats_by_collection_.erase(recent_.back());
        recent_.pop_back();
    }
    // Counting walks the term's doclist: counts stand while the collection is
    // unchanged, and a short while after, so that a collection being written
    // to is not counted again on every search.
    const auto now = clock::now();
    if (stats.version != version) {
        if (stats.version < 0 || now - stats.counted_at > stats_tolerance) {
            stats.df.clear();
            stats.version = version;
            stats.counted_at = now;
        }
    }
    if (stats.df.size() > cached_terms) {
        stats.df.clear();
    }
    if (auto it = stats.df.find(stem); it != stats.df.end()) {
        return it->second;
    }
    statement st;
    const std::string sql = "SELECT doc FROM " + name("chunks_vocab_", n) + " WHERE term = ?";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "prepare");
    }
    bind_text(st.s, 1, stem);
    const int rc = sqlite3_step(st.s);
    int64_t df = 0;
    if (rc == SQLITE_ROW) {
        df = sqlite3_column_int64(st.s, 0);
    } else if (rc != SQLITE_DONE) {
        return sqlite_error(db_, "term statistics");
    }
    stats.df.emplace(stem, df);
    return df;
}

result<std::vector<scored_chunk>> sqlite_fts::run(int64_t n, const std::string & match, const std::vector<double> & weights,
                                                  const std::vector<double> & idfs, size_t limit,
                                                  const bm25_weights & bm25) {
    const std::string fts = name("chunks_fts_", n);
    const std::string sql = "SELECT rowid, tiergate_bm25(" + fts + ", ?, ?, ?, ?, ?, ?) AS score FROM " + fts +
                            " WHERE " + fts + " MATCH ? ORDER BY score LIMIT ?";
    statement st;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
        return sqlite_error(db_, "prepare the search");
    }
    sqlite3_bind_double(st.s, 1, bm25.k1);
    sqlite3_bind_double(st.s, 2, bm25.b);
    sqlite3_bind_double(st.s, 3, bm25.title);
    sqlite3_bind_double(st.s, 4, bm25.text);
    bind_text(st.s, 5, numbers_text(weights));
    bind_text(st.s, 6, numbers_text(idfs));
    bind_text(st.s, 7, match);
    sqlite3_bind_int64(st.s, 8, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    std::vector<scored_chunk> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        // the function's score is negative, lower is better: report it as a positive score.
        out.push_back({sqlite3_column_int64(st.s, 0), -sqlite3_column_double(st.s, 1)});
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(db_, "search");
    }
    return out;
}

result<std::vector<scored_chunk>> sqlite_fts::search(int64_t n, int64_t version, int64_t chunks,
                                                     const std::vector<weighted_term> & terms, size_t limit,
                                                     const bm25_weights & weights, size_t enough) {
    ++stats_.searches;
    std::vector<term_plan> plan;
    for (const weighted_term & t : terms) {
        if (t.text.empty() || !(t.weight > 0)) {
            continue;
        }
        std::vector<std::string> stems;
        tokens_.tokenize(t.text, [&](std::string_view term, size_t, size_t) { stems.emplace_back(term); });
        if (stems.empty()) {
            continue;  // nothing FTS5 would index
        }
        term_plan p;
        p.text = t.text;
        p.weight = t.weight;
        p.candidate = t.candidate;
        if (stems.size() == 1) {
            auto df = document_frequency(n, version, stems.front());
            if (!df) {
                return df.err();
            }
            if (*df == 0) {
                continue;  // in no chunk
            }
            p.df = *df;
            const double rows = static_cast<double>(std::max(chunks, *df)), hits = static_cast<double>(*df);
            p.idf = std::max(1e-6, std::log((rows - hits + 0.5) / (hits + 0.5)));
        }
        plan.push_back(std::move(p));
    }
    if (plan.empty() || limit == 0) {
        return std::vector<scored_chunk>{};
    }
    auto all = [&](const std::vector<const term_plan *> & part, std::string & match, std::vector<double> & w,
                   std::vector<double> & idf, bool weighted) {
        std::string out;
        for (const term_plan * p : part) {
            out += (out.empty() ? "" : " OR ") + fts_quote(p->text);
            w.push_back(weighted ? p->weight : 0.0);
            idf.push_back(p->idf);
        }
        match += out;
    };
    // rare: candidate terms; scoring: the terms that only add to their chunks' scores
    std::vector<const term_plan *> rare, frequent, scoring_only;
    const auto frequent_from = static_cast<int64_t>(frequent_share * static_cast<double>(chunks));
    for (const term_plan & p : plan) {
        if (!p.candidate) {
            scoring_only.push_back(&p);
        } else if (chunks >= split_from_chunks && p.df > frequent_from) {
            frequent.push_back(&p);
        } else {
            rare.push_back(&p);
        }
    }
    if (rare.empty() && !frequent.empty()) {
        // the rarest frequent term stands in for the rare ones
        auto rarest = std::min_element(frequent.begin(), frequent.end(),
                                       [](const term_plan * a, const term_plan * b) { return a->df < b->df; });
        rare.push_back(*rarest);
        frequent.erase(rarest);
    }
    if (rare.empty()) {
        return std::vector<scored_chunk>{};  // no candidate term
    }
    // candidates OR ((scoring terms) AND (candidates again, weighing nothing)):
    // every chunk holding a candidate term, scored with the other terms it holds too
    auto query = [&](const std::vector<const term_plan *> & candidates, const std::vector<const term_plan *> & scoring) {
        std::string match;
        std::vector<double> w, idf;
        all(candidates, match, w, idf, true);
        if (!scoring.empty()) {
            match += " OR ((";
            all(scoring, match, w, idf, true);
            match += ") AND (";
            all(candidates, match, w, idf, false);
            match += "))";
        }
        return run(n, match, w, idf, limit, weights);
    };
    if (!frequent.empty()) {
        std::vector<const term_plan *> scoring = frequent;
        scoring.insert(scoring.end(), scoring_only.begin(), scoring_only.end());
        auto found = query(rare, scoring);
        if (!found) {
            return found.err();
        }
        if (found->size() >= std::min(limit, enough == 0 ? limit : enough)) {
            ++stats_.split;
            return found;
        }
        ++stats_.fallbacks;  // too few chunks hold a rare term: the frequent ones find candidates too
        rare.insert(rare.end(), frequent.begin(), frequent.end());
    }
    return query(rare, scoring_only);
}

}  // namespace tiergate::rag
