#include "rag/chunker.h"

#include "core/utf8.h"

#include <algorithm>

namespace tiergate::rag {

namespace {

struct piece {
    size_t begin;
    size_t end;
    size_t tokens;
};

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Natural pieces: paragraphs, headings and sentences, each with its trailing white space.
std::vector<std::pair<size_t, size_t>> natural_pieces(std::string_view text) {
    std::vector<std::pair<size_t, size_t>> out;
    size_t start = 0;
    const size_t n = text.size();
    for (size_t i = 0; i < n; ++i) {
        const char c = text[i];
        size_t cut = std::string_view::npos;
        if (c == '\n' && i + 1 < n && text[i + 1] == '#' && i + 1 > start) {
            cut = i + 1;  // a Markdown heading starts a piece
        } else if (c == '\n' && i + 1 < n && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
            size_t j = i + 1;
            while (j < n && space(text[j])) {
                ++j;
            }
            cut = j;  // a paragraph ends after its blank lines
        } else if ((c == '.' || c == '!' || c == '?') && i + 1 < n && space(text[i + 1])) {
            size_t j = i + 1;
            while (j < n && space(text[j])) {
                ++j;
            }
            cut = j;
        }
        if (cut != std::string_view::npos && cut > start) {
            out.emplace_back(start, cut);
            start = cut;
            i = cut - 1;
        }
    }
    if (start < n) {
        out.emplace_back(start, n);
    }
    return out;
}

// A piece over the limit, split at word boundaries (and inside a word that
// alone is over it, at a UTF-8 boundary).
void split_long(std::string_view text, size_t begin, size_t end, const chunk_settings & s, const token_counter & count,
                std::vector<piece> & out) {
    size_t pos = begin;
    while (pos < end) {
        size_t best = pos;
        size_t best_tokens = 0;
        size_t scan = pos;
        while (scan < end) {
            size_t word_end = scan;
            while (word_end < end && !space(text[word_end])) {
                ++word_end;
            }
            while (word_end < end && space(text[word_end])) {
                ++word_end;
            }
            const size_t tokens = count(text.substr(pos, word_end - pos));
            if (tokens > s.max_tokens) {
                break;
            }
            best = word_end;
            best_tokens = tokens;
            scan = word_end;
        }
        if (best == pos) {
            // One word longer than a chunk: cut it by bytes.
            size_t take = std::min(end - pos, std::max<size_t>(1, s.max_tokens * 4));
            take = complete_utf8_prefix(text.substr(pos, take));
            if (take == 0) {
                take = std::min(end - pos, size_t{4});
            }
            best = pos + take;
            best_tokens = count(text.substr(pos, take));
        }
        out.push_back({pos, best, best_tokens});
        pos = best;
    }
}

chunk_span trimmed(std::string_view text, size_t begin, size_t end, size_t tokens) {
    while (begin < end && space(text[begin])) {
        ++begin;
    }
    while (end > begin && space(text[end - 1])) {
        --end;
    }
    return {begin, end, tokens};
}

}  // namespace

size_t estimate_token_count(std::string_view text) { return text.empty() ? 0 : (text.size() + 3) / 4; }

result<chunk_settings> validate_chunk_settings(chunk_settings s) {
    if (s.max_tokens < 16 || s.max_tokens > 8192) {
        return error::invalid("chunk size must be between 16 and 8192 tokens", "chunk_tokens");
    }
    if (s.overlap_tokens * 2 > s.max_tokens) {
        return error::invalid("chunk overlap must be at most half the chunk size", "overlap_tokens");
    }
    return s;
}

std::vector<chunk_span> chunk_text(std::string_view text, const chunk_settings & s, const token_counter & count) {
    std::vector<piece> pieces;
    for (auto [b, e] : natural_pieces(text)) {
        const size_t tokens = count(text.substr(b, e - b));
        if (tokens > s.max_tokens) {
            split_long(text, b, e, s, count, pieces);
        } else {
            pieces.push_back({b, e, tokens});
        }
    }
    std::vector<chunk_span> chunks;
    size_t first = 0;  // first piece of the current chunk
    size_t tokens = 0;
    size_t fresh = 0;  // pieces in the current chunk that no chunk has yet
    auto emit = [&](size_t last) {
        if (fresh > 0) {
            chunk_span c = trimmed(text, pieces[first].begin, pieces[last].end, tokens);
            if (c.end > c.begin) {
                chunks.push_back(c);
            }
        }
    };
    for (size_t i = 0; i < pieces.size(); ++i) {
        if (i > first && tokens + pieces[i].tokens > s.max_tokens) {
            emit(i - 1);
            // The next chunk starts with whole trailing pieces of this one, up
            // to the overlap, and always leaves room for the new piece.
            size_t start = i;
            size_t carried = 0;
            while (start > first + 1 && carried + pieces[start - 1].tokens <= s.overlap_tokens &&
                   carried + pieces[start - 1].tokens + pieces[i].tokens <= s.max_tokens) {
                --start;
                carried += pieces[start].tokens;
            }
            first = start;
            tokens = carried;
            fresh = 0;
        }
        tokens += pieces[i].tokens;
        ++fresh;
    }
    if (!pieces.empty()) {
        emit(pieces.size() - 1);
    }
    return chunks;
}

}  // namespace tiergate::rag
