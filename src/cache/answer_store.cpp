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
        auto bucket = by_context_.find(e->context);
        if (bucket != by_context_.end()) {
            auto & refs = bucket->second;
            refs.erase(std::remove(refs.begin(), refs.end(), e), refs.end());
            if (refs.empty()) {
                by_context_.erase(bucket);
            }
        }
    }
    lru_.erase(e);
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
    if (!settings_.semantic || digest.context.empty()) {
        return std::nullopt;
    }
    ticket.query = embedder_.embed_one(digest.last_user);  // unit length
    ticket.query_text = digest.last_user;
    const auto terms = salient_terms_of(digest.last_user);  // outside the lock, like the embedding
    std::lock_guard lock(mu_);
    auto bucket = by_context_.find(digest.context);
    if (bucket == by_context_.end()) {
        return std::nullopt;
    }
    std::optional<entry_ref> best;
    double best_similarity = settings_.similarity;
    std::vector<entry_ref> expired;
    for (auto e : bucket->second) {
        if (e->expires <= t) {
            expired.push_back(e);
            continue;
        }
        const double s = 1.0 - distance_.distance(ticket.query.data(), e->vector.data());
        if (s >= best_similarity && same_question(e->terms, terms)) {
            best_similarity = s;
            best = e;
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
        auto & refs = by_context_[ref->context];
        if (refs.size() >= settings_.max_bucket) {
            erase_locked(refs.front());  // the oldest of this conversation
        }
        by_context_[ref->context].push_back(ref);
    }
    while (lru_.size() > settings_.max_entries) {
        erase_locked(std::prev(lru_.end()));
    }
}

}  // namespace tiergate::cache
