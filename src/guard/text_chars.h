#pragma once
// Byte and code point classes used by the scanners. Invalid UTF-8 decodes to
// U+FFFD one byte at a time, so every scanner advances on any input.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tiergate::guard {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_ascii_alnum(char c) { return is_digit(c) || is_ascii_alpha(c); }
inline bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
inline char ascii_lower(char c) { return is_ascii_upper(c) ? static_cast<char>(c + 32) : c; }
inline bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

struct decoded {
    uint32_t cp = 0xFFFD;
    size_t length = 1;
};

inline decoded decode_utf8_at(std::string_view text, size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
        return {c, 1};
    }
    size_t length = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        cp = c & 0x07;
    } else {
        return {};
    }
    if (i + length > text.size()) {
        return {};
    }
    for (size_t k = 1; k < length; ++k) {
        const auto cc = static_cast<unsigned char>(text[i + k]);
        if ((cc & 0xC0) != 0x80) {
            return {};
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    return {cp, length};
}

// Letters: ASCII letters and non-ASCII code points outside the common
// punctuation, symbol and space blocks.
inline bool is_letter_cp(uint32_t cp) {
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    }
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD) {
        return false;
    }
    if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF20) || cp >= 0x1F000) {
        return false;
    }
    return true;
}

// Latin Extended-A pairs capitals and small letters; the pairing shifts
// parity at U+0139 and at U+014A and U+0179.
inline bool latin_extended_a_upper(uint32_t cp) {
    if (cp == 0x138 || cp == 0x149 || cp == 0x17F) {
        return false;
    }
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
        return cp % 2 == 1;
    }
    return cp % 2 == 0;
}

inline bool is_upper_cp(uint32_t cp) {
    if (cp < 0x80) {
        return cp >= 'A' && cp <= 'Z';
    }
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
        return true;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        return latin_extended_a_upper(cp);
    }
    if (cp >= 0x391 && cp <= 0x3AB) {
        return true;
    }
    if (cp >= 0x400 && cp <= 0x42F) {
        return true;
    }
    return false;
}

inline bool is_lower_cp(uint32_t cp) {
    if (cp < 0x80) {
        return cp >= 'a' && cp <= 'z';
    }
    if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) {
        return true;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        return !latin_extended_a_upper(cp);
    }
    if (cp >= 0x3AC && cp <= 0x3CE) {
        return true;
    }
    if (cp >= 0x430 && cp <= 0x45F) {
        return true;
    }
    return false;
}

// True when the byte before pos does not continue a word (start of text,
// or not an ASCII letter or digit).
inline bool word_boundary_before(std::string_view text, size_t pos) {
    return pos == 0 || !is_ascii_alnum(text[pos - 1]);
}

inline bool word_boundary_after(std::string_view text, size_t pos) {
    return pos >= text.size() || !is_ascii_alnum(text[pos]);
}

// Case-insensitive (ASCII) test whether any of the cue words occurs in the
// window bytes before pos; a cue that starts with a letter must start a word
// ("tel" is not found in "hotel"). Cost is bounded by window times cue count.
template <class cues>
bool cue_before(std::string_view text, size_t pos, size_t window, const cues & words) {
    const size_t from = pos > window ? pos - window : 0;
    for (std::string_view word : words) {
        if (word.size() > pos - from) {
            continue;
        }
        const bool word_start = is_ascii_alpha(word[0]);
        for (size_t i = from; i + word.size() <= pos; ++i) {
            if (ascii_lower(text[i]) != word[0] || (word_start && i > 0 && is_ascii_alnum(text[i - 1]))) {
                continue;
            }
            size_t k = 1;
            while (k < word.size() && ascii_lower(text[i + k]) == word[k]) {
                ++k;
            }
            if (k == word.size()) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace tiergate::guard
