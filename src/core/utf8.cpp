#include "core/utf8.h"

namespace tiergate {

namespace {
// expected length of a sequence from its lead byte; 0 if not a lead byte
int sequence_length(unsigned char c) {
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        return 4;
    }
    return 0;
}
}  // namespace

size_t find_invalid_utf8(std::string_view text) {
    const auto * s = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        const int len = sequence_length(c);
        if (len == 0 || i + len > n) {
            return i;
        }
        for (int k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return i;
            }
        }
        // second-byte ranges that exclude overlongs, surrogates, > U+10FFFF
        const unsigned char c1 = s[i + 1];
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
            (c == 0xF4 && c1 > 0x8F)) {
            return i;
        }
        i += len;
    }
    return std::string_view::npos;
}

size_t complete_utf8_prefix(std::string_view text) {
    const auto * s = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    // look back at most 3 bytes for an unfinished lead byte
    for (size_t back = 1; back <= 3 && back <= n; ++back) {
        const unsigned char c = s[n - back];
        if ((c & 0xC0) == 0x80) {
            continue;  // continuation byte, keep looking for the lead
        }
        const int len = sequence_length(c);
        if (len > static_cast<int>(back)) {
            return n - back;  // lead byte whose sequence is not complete yet
        }
        return n;
    }
    return n;
}

}  // namespace tiergate
