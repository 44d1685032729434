#include "guard/word_tokens.h"
#include "guard/text_chars.h"

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

void append_utf8(std::string & s, uint32_t cp) {
    if (cp < 0x80) {
        s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

}  // namespace

void tokenize_words(std::string_view text, word_tokens & out) {
    out.tokens.clear();
    out.lower.clear();
    out.tokens.reserve(text.size() / 4 + 8);
    out.lower.reserve(text.size() + 8);
    const size_t n = text.size();
    size_t i = 0;
    bool space = true;
    while (i < n) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            space = true;
            ++i;
            continue;
        }
        word_token t;
        t.start = i;
        t.space_before = space;
        space = false;
        if (c == '\n') {
            t.kind = token_kind::newline;
            t.end = ++i;
            out.tokens.push_back(t);
            continue;
        }
        if (is_digit(c)) {
            size_t e = i;
            while (e < n && is_digit(text[e])) {
                ++e;
            }
            t.kind = token_kind::number;
            t.end = e;
            out.tokens.push_back(t);
            i = e;
            continue;
        }
        decoded d = decode_utf8_at(text, i);
        if (!is_letter_cp(d.cp)) {
            t.kind = token_kind::punct;
            t.end = i + d.length;
            out.tokens.push_back(t);
            i += d.length;
            continue;
        }
        t.kind = token_kind::word;
        t.capitalized = is_upper_cp(d.cp);
        t.lower_start = out.lower.size();
        size_t letters = 0;
        size_t lowers = 0;
        size_t e = i;
        while (e < n) {
            const char ch = text[e];
            if (is_ascii_alnum(ch)) {
                ++letters;
                lowers += is_ascii_lower(ch);
                out.lower.push_back(ascii_lower(ch));
                ++e;
                continue;
            }
            d = decode_utf8_at(text, e);
            if (is_letter_cp(d.cp) || (d.cp < 0x80 && is_digit(static_cast<char>(d.cp)))) {
                ++letters;
                lowers += is_lower_cp(d.cp);
                append_utf8(out.lower, to_lower_cp(d.cp));
                e += d.length;
                continue;
            }
            // apostrophes and hyphens inside a word
            if ((d.cp == '\'' || d.cp == '-' || d.cp == 0x2019) && e + d.length < n) {
                const decoded next = decode_utf8_at(text, e + d.length);
                if (is_letter_cp(next.cp)) {
                    out.lower.push_back(d.cp == '-' ? '-' : '\'');
                    e += d.length;
                    continue;
                }
            }
            break;
        }
        t.end = e;
        t.lower_size = out.lower.size() - t.lower_start;
        t.all_caps = letters >= 2 && lowers == 0;
        out.tokens.push_back(t);
        i = e;
    }
}

}  // namespace tiergate::guard
