#include "engine/bounded_tokenize.h"

#include <algorithm>

namespace tiergate::engine {

namespace {

// Text up to this size is tokenized exactly at once: even all of it falling back to byte
// tokens costs a few milliseconds.
constexpr size_t exact_at_once_bytes = 4096;
// The counting pass's allowance for what one cut can change in the count.
constexpr size_t tokens_per_cut = 4;

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

size_t next_cut(std::string_view text, size_t from, size_t piece_bytes) {
    piece_bytes = std::max<size_t>(piece_bytes, 16);
    if (text.size() - from <= piece_bytes) {
        return text.size();
    }
    const size_t end = from + piece_bytes;
    for (size_t i = end; i > end - piece_bytes / 4; --i) {
        if (text[i] == ' ' || text[i] == '\n') {
            return i;
        }
    }
    size_t cut = end;
    for (int back = 0; back < 4 && is_continuation(text[cut]); ++back) {
        --cut;
    }
    return is_continuation(text[cut]) ? end : cut;
}

bounded_tokens tokenize_bounded(std::string_view text, const bounded_tokenize_options & options,
                                const tokenize_fn & tokenize) {
    bounded_tokens out;
    const size_t limit = options.max_tokens;
    auto over = [&](size_t count, bool exact) {
        out.tokens.clear();
        out.over_limit = true;
        out.at_least = count;
        out.exact_count = exact;
        return out;
    };

    if (options.max_token_bytes > 0) {
        const size_t lower = (text.size() + options.max_token_bytes - 1) / options.max_token_bytes;
        if (lower > limit) {
            return over(lower, false);
        }
    }

    if (text.size() > std::max(limit, exact_at_once_bytes)) {
        size_t counted = 0;
        size_t cuts = 0;
        for (size_t from = 0; from < text.size();) {
            const size_t to = next_cut(text, from, options.piece_bytes);
            counted += tokenize(text.substr(from, to - from), from == 0).size();
            if (to < text.size()) {
                ++cuts;
            }
            from = to;
            const size_t margin = limit / 4 + std::min(tokens_per_cut * cuts, limit) + 16;
            if (counted > limit + margin) {
                return over(counted, false);
            }
        }
    }

    out.tokens = tokenize(text, true);
    if (out.tokens.size() > limit) {
        return over(out.tokens.size(), true);
    }
    return out;
}

}  // namespace tiergate::engine
