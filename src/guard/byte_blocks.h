#pragma once
// Eight bytes at a time: tests on a 64-bit little-endian word that mark, in
// the high bit of each byte, the bytes of a class. Used by the scanners to
// step over text that cannot start a finding.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tiergate::guard::byte_blocks {

static_assert(std::endian::native == std::endian::little, "byte blocks are read as little-endian words");

inline constexpr uint64_t ones = 0x0101010101010101ull;
inline constexpr uint64_t highs = 0x8080808080808080ull;

inline uint64_t load(const char * p) {
    uint64_t x = 0;
    std::memcpy(&x, p, sizeof x);
    return x;
}

// High bit of each byte of x in [lo, hi]; both are ASCII, and bytes of 0x80
// and above never match.
inline uint64_t in_range(uint64_t x, uint8_t lo, uint8_t hi) {
    const uint64_t t = x & ~highs;
    const uint64_t at_least_lo = t + ones * (0x80u - lo);
    const uint64_t above_hi = t + ones * (0x7Fu - hi);
    return at_least_lo & ~above_hi & ~x & highs;
}

inline uint64_t equal(uint64_t x, uint8_t c) { return in_range(x, c, c); }

// Index (0..7) of the first marked byte; mask must not be zero.
inline size_t first(uint64_t mask) { return static_cast<size_t>(std::countr_zero(mask)) / 8; }

// The first position at or after i where marks(block) marks a byte, or the
// end of text; `single` tests one byte for the tail shorter than a block.
template <class block_test, class byte_test>
size_t find_first(std::string_view text, size_t i, block_test marks, byte_test single) {
    const size_t n = text.size();
    while (i + 8 <= n) {
        const uint64_t m = marks(load(text.data() + i));
        if (m != 0) {
            return i + first(m);
        }
        i += 8;
    }
    while (i < n && !single(text[i])) {
        ++i;
    }
    return i;
}

}  // namespace tiergate::guard::byte_blocks
