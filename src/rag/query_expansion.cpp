#include "rag/query_expansion.h"

#include "rag/fts_query.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace tiergate::rag {

namespace {

bool is_stop(const std::string & word) {
    std::string lower = word;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c); });
    return is_stop_word(lower);
}

}  // namespace

result<std::vector<weighted_term>> expand_query(const store & s, const std::vector<std::string> & collections,
                                                const std::vector<std::string> & words, const bm25_weights & weights,
                                                const feedback_settings & feedback) {
    std::vector<weighted_term> query;
    query.reserve(words.size());
    for (const std::string & w : words) {
        query.push_back({w, 1.0});
    }
    if (feedback.documents == 0 || feedback.terms == 0 || words.empty()) {
        return query;
    }
    auto first = s.search_bm25(collections, query, feedback.documents, weights);
    if (!first) {
        return first.err();
    }
    if (first->empty()) {
        return query;
    }
    std::vector<int64_t> ids;
    std::unordered_map<int64_t, double> score_of;
    for (const scored_chunk & c : *first) {
        ids.push_back(c.id);
        score_of[c.id] = std::max(c.score, 0.0);
    }
    auto terms = s.terms_of(ids);
    if (!terms) {
        return terms.err();
    }
    // P(term | relevant) ~ sum over the chunks of P(term | chunk) * score(chunk).
    struct weight_of_term {
        std::string word;
        double weight = 0;
        size_t first_seen = 0;
        size_t chunks = 0;  // of the feedback chunks holding it
    };
    std::unordered_map<std::string, weight_of_term> relevance;
    for (const chunk_terms & chunk : *terms) {
        if (chunk.length == 0) {
            continue;
        }
        const double score = score_of[chunk.id];
        for (const term_count & t : chunk.counts) {
            if (t.word.size() > 64 || is_stop(t.word)) {
                continue;
            }
            auto [it, added] = relevance.try_emplace(t.term, weight_of_term{t.word, 0.0, relevance.size()});
            it->second.weight += score * static_cast<double>(t.count) / static_cast<double>(chunk.length);
            ++it->second.chunks;
        }
    }
    std::vector<const weight_of_term *> ranked;
    ranked.reserve(relevance.size());
    // A term of one feedback chunk only says more about that chunk than
    // about the question: with several chunks, a term needs two.
    const size_t min_chunks = terms->size() > 1 ? 2 : 1;
    for (const auto & [term, w] : relevance) {
        if (w.weight > 0 && w.chunks >= min_chunks) {
            ranked.push_back(&w);
        }
    }
    std::sort(ranked.begin(), ranked.end(), [](const weight_of_term * a, const weight_of_term * b) {
        return a->weight != b->weight ? a->weight > b->weight : a->first_seen < b->first_seen;
    });
    if (ranked.size() > feedback.terms) {
        ranked.resize(feedback.terms);
    }
    double total = 0;
    for (const weight_of_term * w : ranked) {
        total += w->weight;
    }
    if (total <= 0) {
        return query;
    }
    // Weights relative to one query word: the words share query_weight of
    // the whole, the expansion terms the rest.
    const double lambda = std::clamp(feedback.query_weight, 0.0, 1.0);
    const double expansion_scale =
        lambda > 0 ? static_cast<double>(words.size()) * (1.0 - lambda) / lambda : 1.0;
    if (lambda == 0) {
        query.clear();
    }
    // expansion terms weigh in the chunks the query's words find (a document
    // that holds none of them is not a candidate), so the second pass reads
    // no more chunks than the first
    for (const weight_of_term * w : ranked) {
        query.push_back({w->word, expansion_scale * w->weight / total, lambda == 0});
    }
    return query;
}

}  // namespace tiergate::rag
