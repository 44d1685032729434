#include "rag/fts_rank.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace tiergate::rag {

namespace {

// Per-query statistics and column weights, computed on the first row and
// kept as aux data.
struct query_stats {
    std::vector<double> idf;     // per phrase
    std::vector<double> weight;  // per column, from the arguments
    std::vector<double> term;    // per phrase, from the arguments (1 when not given)
    std::vector<double> freq;    // per phrase, the current row's (scratch)
    double avgdl = 1;
};

int count_hit(const Fts5ExtensionApi *, Fts5Context *, void * user) {
    ++*static_cast<sqlite3_int64 *>(user);
    return SQLITE_OK;
}

void destroy_stats(void * p) { delete static_cast<query_stats *>(p); }

// `n` numbers from a text argument of space-separated numbers, in the order
// of the MATCH expression's phrases; `fallback` for each one not given.
std::vector<double> numbers(sqlite3_value * arg, size_t n, double fallback) {
    std::vector<double> out(n, fallback);
    if (arg == nullptr || sqlite3_value_type(arg) != SQLITE_TEXT) {
        return out;
    }
    const char * p = reinterpret_cast<const char *>(sqlite3_value_text(arg));
    for (size_t i = 0; p && *p && i < n; ++i) {
        char * end = nullptr;
        const double v = std::strtod(p, &end);
        if (end == p) {
            break;
        }
        out[i] = std::isfinite(v) ? v : fallback;
        p = end;
    }
    return out;
}

query_stats * stats_for(const Fts5ExtensionApi * api, Fts5Context * ctx, int n_args, sqlite3_value ** args, int & rc) {
    if (auto * s = static_cast<query_stats *>(api->xGetAuxdata(ctx, 0))) {
        return s;
    }
    auto * s = new query_stats;
    sqlite3_int64 rows = 0, tokens = 0;
    rc = api->xRowCount(ctx, &rows);
    if (rc == SQLITE_OK) {
        rc = api->xColumnTotalSize(ctx, -1, &tokens);
    }
    s->avgdl = rows > 0 ? std::max(1.0, static_cast<double>(tokens) / static_cast<double>(rows)) : 1.0;
    const int phrases = api->xPhraseCount(ctx);
    // idf values the caller knows already (a number per phrase; a negative
    // one, or none, for "count it here", which walks the phrase's whole doclist)
    std::vector<double> given = numbers(n_args > 5 ? args[5] : nullptr, static_cast<size_t>(phrases), -1.0);
    for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
        if (given[static_cast<size_t>(i)] >= 0) {
            s->idf.push_back(given[static_cast<size_t>(i)]);
            continue;
        }
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(ctx, i, &hits, count_hit);
        const double n = static_cast<double>(rows), h = static_cast<double>(hits);
        s->idf.push_back(std::max(1e-6, std::log((n - h + 0.5) / (h + 0.5))));
    }
    if (rc != SQLITE_OK) {
        delete s;
        return nullptr;
    }
    s->freq.assign(s->idf.size(), 0.0);
    s->term = numbers(n_args > 4 ? args[4] : nullptr, s->idf.size(), 1.0);
    s->weight.assign(static_cast<size_t>(api->xColumnCount(ctx)), 1.0);
    for (size_t c = 0; c < s->weight.size() && c < 2 && static_cast<int>(c) + 2 < n_args; ++c) {
        s->weight[c] = sqlite3_value_double(args[c + 2]);
    }
    rc = api->xSetAuxdata(ctx, s, destroy_stats);
    return rc == SQLITE_OK ? s : nullptr;
}

void bm25_function(const Fts5ExtensionApi * api, Fts5Context * ctx, sqlite3_context * out, int n_args,
                   sqlite3_value ** args) {
    const double k1 = n_args > 0 ? sqlite3_value_double(args[0]) : 1.2;
    const double b = n_args > 1 ? sqlite3_value_double(args[1]) : 0.75;
    int rc = SQLITE_OK;
    query_stats * s = stats_for(api, ctx, n_args, args, rc);
    if (!s) {
        sqlite3_result_error_code(out, rc == SQLITE_OK ? SQLITE_NOMEM : rc);
        return;
    }
    std::vector<double> & freq = s->freq;
    std::fill(freq.begin(), freq.end(), 0.0);
    int instances = 0;
    rc = api->xInstCount(ctx, &instances);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(ctx, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK && phrase >= 0 && static_cast<size_t>(phrase) < freq.size() && column >= 0 &&
            static_cast<size_t>(column) < s->weight.size()) {
            freq[static_cast<size_t>(phrase)] += s->weight[static_cast<size_t>(column)];
        }
    }
    int length = 0;
    if (rc == SQLITE_OK) {
        rc = api->xColumnSize(ctx, -1, &length);
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(out, rc);
        return;
    }
    const double norm = k1 * (1.0 - b + b * static_cast<double>(length) / s->avgdl);
    double score = 0;
    for (size_t i = 0; i < freq.size(); ++i) {
        if (freq[i] > 0) {
            score += s->term[i] * s->idf[i] * freq[i] * (k1 + 1.0) / (freq[i] + norm);
        }
    }
    sqlite3_result_double(out, -score);
}

}  // namespace

bool register_fts_rank(sqlite3 * db) {
    fts5_api * api = nullptr;
    sqlite3_stmt * st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) != SQLITE_OK) {
        return false;
    }
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2) {
        return false;
    }
    return api->xCreateFunction(api, "tiergate_bm25", nullptr, bm25_function, nullptr) == SQLITE_OK;
}

}  // namespace tiergate::rag
