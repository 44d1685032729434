#pragma once

#include <string_view>

namespace tiergate {

// The offset in JSON text where the nesting of arrays and objects first
// exceeds `limit` (brackets inside strings do not count), or npos. One linear
// pass, no parse: checked before parsing text whose depth a client chooses.
size_t first_too_deep(std::string_view json_text, int limit);

// Nesting deeper than any request needs, for request bodies and the JSON
// text they carry (tool call arguments): refused before parsing.
constexpr int max_request_json_depth = 64;

}  // namespace tiergate
