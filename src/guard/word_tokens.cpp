#include "guard/word_tokens.h"
#include "guard/byte_blocks.h"
#include "guard/text_chars.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace tiergate::guard {

namespace {

// Lowercase of the common cased letters: ASCII, Latin-1, Latin Extended-A,
// Greek and Cyrillic capitals.
uint32_t to_lower_cp(uint32_t cp) {
    if (cp < 0x80) {
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    }
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
        return cp + 32;
    }
    if (cp >= 0x100 && cp <= 0x17F && latin_extended_a_upper(cp)) {
        return cp + 1;
    }
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) {
        return cp + 32;
    }
    if (cp >= 0x410 && cp <= 0x42F) {
        return cp + 32;
    }
    if (cp >= 0x400 && cp <= 0x40F) {
        return cp + 80;
    }
    return cp;
}

// ASCII byte classes for the tokenizer's fast path.
enum : uint8_t { ascii_other = 0, ascii_space = 1, ascii_newline = 2, ascii_digit = 3, ascii_lower_letter = 4, ascii_upper_letter = 5 };

constexpr std::array<uint8_t, 256> make_ascii_classes() {
    std::array<uint8_t, 256> t{};
    t[' '] = t['\t'] = t['\r'] = ascii_space;
    t['\n'] = ascii_newline;
    for (int c = '0'; c <= '9'; ++c) {
        t[static_cast<size_t>(c)] = ascii_digit;
    }
    for (int c = 'a'; c <= 'z'; ++c) {
        t[static_cast<size_t>(c)] = ascii_lower_letter;
        t[static_cast<size_t>(c - 32)] = ascii_upper_letter;
    }
    return t;
}

constexpr std::array<uint8_t, 256> ascii_classes = make_ascii_classes();

uint8_t ascii_class(char c) { return ascii_classes[static_cast<unsigned char>(c)]; }

constexpr std::array<char, 256> ascii_lowercase = [] {
    std::array<char, 256> t{};
    for (int c = 0; c < 256; ++c) {
        t[static_cast<size_t>(c)] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return t;
}();

// Eight bytes read as one word: which are ASCII letters and digits, and
// their lowercase form (byte arithmetic on a little-endian 64-bit word).
struct ascii_block {
    uint64_t lowered = 0;    // the eight bytes with A-Z lowered
    size_t run = 0;          // leading bytes that are ASCII letters or digits
    size_t run_lowers = 0;   // 1 when the run holds a lowercase letter
    uint8_t stop = 0;        // ascii class of the byte after the run (when run < 8)
};

inline ascii_block read_ascii_block(const char * p) {
    using namespace byte_blocks;
    const uint64_t x = load(p);
    const uint64_t upper = in_range(x, 'A', 'Z');
    const uint64_t lower = in_range(x, 'a', 'z');
    const uint64_t alnum = upper | lower | in_range(x, '0', '9');
    ascii_block b;
    b.lowered = x | (upper >> 2);
    const uint64_t stops = ~alnum & highs;
    b.run = stops == 0 ? 8 : first(stops);
    const uint64_t run_mask = b.run == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * b.run)) - 1;
    b.run_lowers = (lower & run_mask) != 0 ? 1 : 0;  // only whether there is one matters
    b.stop = b.run < 8 ? ascii_class(p[b.run]) : static_cast<uint8_t>(ascii_other);
    return b;
}

// Writes the UTF-8 form of cp at p; returns the bytes written.
size_t put_utf8(char * p, uint32_t cp) {
    if (cp < 0x80) {
        p[0] = static_cast<char>(cp);
        return 1;
    }
    if (cp < 0x800) {
        p[0] = static_cast<char>(0xC0 | (cp >> 6));
        p[1] = static_cast<char>(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = static_cast<char>(0xE0 | (cp >> 12));
        p[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        p[2] = static_cast<char>(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = static_cast<char>(0xF0 | (cp >> 18));
    p[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    p[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    p[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
}

}  // namespace

void tokenize_words(std::string_view text, word_tokens & out) {
    text = text.substr(0, word_tokens::max_text);
    const size_t n = text.size();
    std::vector<word_token> & tokens = out.tokens_;
    size_t count = 0;
    const auto push = [&](const word_token & t) {
        if (count == tokens.size()) {
            tokens.resize(count < 64 ? 64 : count * 2);
        }
        tokens[count++] = t;
    };
    // a lowercase form is never longer than the word (case pairs keep their
    // UTF-8 length, and the apostrophe U+2019 shrinks to one byte); the
    // padding lets lookups read eight bytes from any word
    out.lower_.resize(n + word_tokens::padding);
    char * const lower = out.lower_.data();
    size_t used = 0;
    size_t i = 0;
    bool space = true;
    while (i < n) {
        const char c = text[i];
        const uint8_t cls = ascii_class(c);
        if (cls == ascii_space) {
            space = true;
            ++i;
            continue;
        }
        word_token t;
        t.start = static_cast<uint32_t>(i);
        t.space_before = space;
        space = false;
        if (cls == ascii_newline) {
            t.kind = token_kind::newline;
            t.end = static_cast<uint32_t>(++i);
            push(t);
            continue;
        }
        if (cls == ascii_digit) {
            size_t e = i + 1;
            while (e < n && ascii_class(text[e]) == ascii_digit) {
                ++e;
            }
            t.kind = token_kind::number;
            t.end = static_cast<uint32_t>(e);
            push(t);
            i = e;
            continue;
        }
        decoded d;
        if (cls >= ascii_lower_letter) {
            d = {static_cast<uint32_t>(static_cast<unsigned char>(c)), 1};
        } else {
            d = decode_utf8_at(text, i);
            if (!is_letter_cp(d.cp)) {
                t.kind = token_kind::punct;
                t.end = static_cast<uint32_t>(i + d.length);
                push(t);
                i += d.length;
                continue;
            }
        }
        t.kind = token_kind::word;
        t.capitalized = is_upper_cp(d.cp);
        t.lower_start = static_cast<uint32_t>(used);
        size_t letters = 0;
        size_t lowers = 0;
        size_t e = i;
        while (e < n) {
            // eight bytes at a time while they are ASCII letters and digits
            bool ended = false;
            while (e + 8 <= n) {
                const ascii_block b = read_ascii_block(text.data() + e);
                std::memcpy(lower + used, &b.lowered, 8);  // the bytes past the run are overwritten later
                used += b.run;
                letters += b.run;
                lowers += b.run_lowers;
                e += b.run;
                if (b.run < 8) {
                    ended = b.stop != ascii_other;  // a space or newline ends the word
                    break;
                }
            }
            if (ended || e >= n) {
                break;  // a space or newline, or the text ends on a whole block
            }
            // a run of ASCII letters and digits: measured, then copied in lowercase
            size_t run = e;
            size_t run_lowers = 0;
            uint8_t k = ascii_other;
            while (run < n && (k = ascii_class(text[run])) >= ascii_digit) {
                run_lowers += k == ascii_lower_letter;
                ++run;
            }
            if (run > e) {
                letters += run - e;
                lowers += run_lowers;
                for (size_t j = e; j < run; ++j) {
                    lower[used++] = ascii_lowercase[static_cast<unsigned char>(text[j])];
                }
                e = run;
                if (e >= n) {
                    break;
                }
            }
            if (k != ascii_other) {
                break;  // space or newline
            }
            d = decode_utf8_at(text, e);
            if (is_letter_cp(d.cp)) {
                ++letters;
                lowers += is_lower_cp(d.cp);
                used += put_utf8(lower + used, to_lower_cp(d.cp));
                e += d.length;
                continue;
            }
            // apostrophes and hyphens inside a word
            if ((d.cp == '\'' || d.cp == '-' || d.cp == 0x2019) && e + d.length < n) {
                const decoded next = decode_utf8_at(text, e + d.length);
                if (is_letter_cp(next.cp)) {
                    lower[used++] = d.cp == '-' ? '-' : '\'';
                    e += d.length;
                    continue;
                }
            }
            break;
        }
        t.end = static_cast<uint32_t>(e);
        t.lower_size = static_cast<uint32_t>(used - t.lower_start);
        t.all_caps = letters >= 2 && lowers == 0;
        push(t);
        i = e;
    }
    std::fill(lower + used, lower + used + word_tokens::padding, '\0');
    out.size_ = count;
}

}  // namespace tiergate::guard
