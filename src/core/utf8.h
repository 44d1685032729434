#pragma once
#include <cstddef>
#include <string_view>

namespace tiergate {

// Offset of the first byte that is not part of a valid UTF-8 sequence
// (overlongs, surrogates and code points past U+10FFFF are invalid), or
// std::string_view::npos when the whole text is valid.
size_t find_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) { return find_invalid_utf8(text) == std::string_view::npos; }

// Length of the longest prefix of text that does not end inside a multi-byte
// sequence: what can be sent now when the rest may still be completed.
size_t complete_utf8_prefix(std::string_view text);

}  // namespace tiergate
