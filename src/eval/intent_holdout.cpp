#include "eval/intent_holdout.h"

#include "router/hashed_features.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace tiergate::eval {

intent_holdout stratified_holdout(std::span<const labelled_utterance> rows, double fraction, uint64_t seed) {
    fraction = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 0.9) : 0.0;
    std::map<std::string_view, std::vector<size_t>> by_intent;
    for (size_t i = 0; i < rows.size(); ++i) {
        by_intent[rows[i].intent].push_back(i);
    }
    std::vector<bool> held(rows.size(), false);
    for (auto & [intent, members] : by_intent) {
        // order by a hash of (seed, text, position): stable across machines
        std::vector<std::pair<uint64_t, size_t>> keyed;
        keyed.reserve(members.size());
        for (size_t i : members) {
            keyed.emplace_back(router::mix_hash(router::hash_bytes(rows[i].text, seed) + i), i);
        }
        std::sort(keyed.begin(), keyed.end());
        size_t take = static_cast<size_t>(std::llround(fraction * static_cast<double>(members.size())));
        if (fraction > 0 && take == 0 && members.size() >= 2) {
            take = 1;
        }
        take = std::min(take, members.size() - 1);
        for (size_t j = 0; j < take; ++j) {
            held[keyed[j].second] = true;
        }
    }
    intent_holdout out;
    for (size_t i = 0; i < rows.size(); ++i) {
        (held[i] ? out.held : out.fit).push_back(i);
    }
    return out;
}

}  // namespace tiergate::eval
