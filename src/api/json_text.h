#pragma once
// Appending JSON text directly, for response bodies written on every request
// or stream chunk without building a document first. Strings are written as
// nlohmann::json writes them (dump with error_handler_t::replace, UTF-8 kept):
// the same bytes, so either writer can produce a body.

#include <cstdint>
#include <string>
#include <string_view>

namespace tiergate::api {

// `s` as a JSON string literal: quotes, escapes, invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string & out, std::string_view s);
void append_json_int(std::string & out, int64_t v);

}  // namespace tiergate::api
