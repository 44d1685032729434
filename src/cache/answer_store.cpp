#include "cache/answer_store.h"

#include <algorithm>

#include "cache/call_digest.h"

namespace tiergate::cache {

answer_store::answer_store(answer_store_settings settings, clock_fn now)
    : settings_(settings), now_(std::move(now)), embedder_(settings.dims), distance_(settings.dims) {}

std::chrono::steady_clock::time_point answer_store::now() const {
    return now_ ? now_() : std::chrono::steady_clock::now();
}

size_t answer_store::size() const {
    std::lock_guard lock(mu_);
    return lru_.size();
}

void answer_store::erase_locked(entry_ref e) {
    by_exact_.erase(e->exact);
    if (!e->context.empty()) {
        auto b = by_context_.find(e->context);
        if (b != by_context_.end()) {
            bucket & from = b->second;
            from.refs.erase(e->label);
            if (from.index) {
                from.index->remove(static_cast<int64_t>(e->label));
                // marked points still take room: an index more removed than
                // live is built again from the live turns
                if (++from.removed > from.refs.size() + settings_.index_from) {
                    from.index.reset();
                    from.removed = 0;
                    index_locked(from, lru_.end());
                }
            }
            if (from.refs.empty()) {
                by_context_.erase(b);
            }
        }
    }
    lru_.erase(e);
}

void answer_store::index_locked(bucket & b, entry_ref added) {
    if (!b.index) {
        if (b.refs.size() <= settings_.index_from) {
            return;  // scanned
        }
        b.index = std::make_unique<rag::hnsw_index>(settings_.dims, rag::hnsw_settings{}, b.refs.size() * 2);
        for (const auto & [label, ref] : b.refs) {
            b.index->add(static_cast<int64_t>(label), ref->vector);
        }
        return;
    }
    if (added != lru_.end()) {
        b.index->add(static_cast<int64_t>(added->label), added->vector);
    }
}

std::optional<cache_hit> answer_store::find(const std::string & team, const generation_call & call,
                                            cache_ticket & ticket) {
    const auto digest = digest_call(team, call);
    ticket = cache_ticket{};
    if (!digest.cacheable) {
        return std::nullopt;
    }
    ticket.team = team;
    ticket.exact = digest.exact;
    ticket.context = digest.context;
    const auto t = now();
    {
        std::lock_guard lock(mu_);
        if (auto it = by_exact_.find(digest.exact); it != by_exact_.end()) {
            if (it->second->expires > t) {
                lru_.splice(lru_.begin(), lru_, it->second);
                return cache_hit{it->second->answer, "exact", 1.0};
            }
            erase_locked(it->second);
        }
    }
    bool semantic = settings_.semantic;
    double threshold = settings_.similarity;
    if (auto route = settings_.routes.find(call.model); route != settings_.routes.end()) {
        semantic = route->second.semantic.value_or(semantic);
        threshold = route->second.similarity.value_or(threshold);
    }
    if (!semantic || digest.context.empty()) {
        return std::nullopt;
    }
    ticket.query = embedder_.embed_one(digest.last_user);  // unit length
    ticket.query_text = digest.last_user;
    const auto terms = salient_terms_of(digest.last_user);  // outside the lock, like the embedding
    std::lock_guard lock(mu_);
    auto found = by_context_.find(digest.context);
    if (found == by_context_.end()) {
        return std::nullopt;
    }
    bucket & b = found->second;
    std::optional<entry_ref> best;
    double best_similarity = threshold;
    std::vector<entry_ref> expired;
    auto consider = [&](entry_ref e) {
        if (e->expires <= t) {
            expired.push_back(e);
            return;
        }
        const double s = 1.0 - distance_.distance(ticket.query.data(), e->vector.data());
        if (s >= best_similarity && same_question(e->terms, terms)) {
            best_similarity = s;
            best = e;
        }
    };
    if (b.index) {
        for (const auto & near : b.index->search(ticket.query, settings_.index_candidates)) {
            if (auto it = b.refs.find(static_cast<uint64_t>(near.id)); it != b.refs.end()) {
                consider(it->second);
            }
        }
    } else {
        for (const auto & [label, e] : b.refs) {
            consider(e);
        }
    }
    std::optional<cache_hit> out;
    if (best) {
        lru_.splice(lru_.begin(), lru_, *best);
        out = cache_hit{(*best)->answer, "semantic", best_similarity};
    }
    for (auto e : expired) {
        erase_locked(e);  // `best` is never among them
    }
    return out;
}

void answer_store::keep(const cache_ticket & ticket, cached_answer answer) {
    if (ticket.exact.empty() || answer.text.size() > settings_.max_answer_bytes || settings_.max_entries == 0) {
        return;
    }
    const bool semantic_entry = !ticket.query.empty() && !ticket.context.empty();
    salient_terms terms = semantic_entry ? salient_terms_of(ticket.query_text) : salient_terms{};
    std::lock_guard lock(mu_);
    if (auto it = by_exact_.find(ticket.exact); it != by_exact_.end()) {
        erase_locked(it->second);  // the newer answer replaces it
    }
    entry e;
    e.label = next_label_++;
    e.exact = ticket.exact;
    e.expires = now() + settings_.ttl;
    e.answer = std::move(answer);
    if (semantic_entry) {
        e.context = ticket.context;
        e.vector = ticket.query;
        e.terms = std::move(terms);
    }
    lru_.push_front(std::move(e));
    auto ref = lru_.begin();
    by_exact_[ref->exact] = ref;
    if (!ref->context.empty()) {
        auto & b = by_context_[ref->context];
        if (b.refs.size() >= settings_.max_bucket) {
            // the oldest turn of this conversation (the smallest label) goes
            auto oldest = std::min_element(b.refs.begin(), b.refs.end(),
                                           [](const auto & x, const auto & y) { return x.first < y.first; });
            erase_locked(oldest->second);
        }
        auto & kept = by_context_[ref->context];
        kept.refs.emplace(ref->label, ref);
        index_locked(kept, ref);
    }
    while (lru_.size() > settings_.max_entries) {
        erase_locked(std::prev(lru_.end()));
    }
}

}  // namespace tiergate::cache
