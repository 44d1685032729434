#pragma once
// Reading a JSON request body and its fields, for every dialect's parser:
// the body checked (UTF-8, nesting, a JSON object) before it is parsed, and
// fields of the wrong type or out of range refused with a message that names
// the field.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace tiergate::api {

// The body as a JSON object, or 400 invalid_json / invalid_utf8.
result<nlohmann::json> parse_json_body(std::string_view body);

// "a string", "an object", "null", ... for an error message.
const char * json_type_name(const nlohmann::json & v);

// 400 invalid_type: "'<field>' must be <expected>, got <type>".
error wrong_type(const std::string & field, const char * expected, const nlohmann::json & got);

// An optional number within [lo, hi] (an integer when T is integral).
template <class T>
std::optional<error> read_number(const nlohmann::json & doc, const char * field, double lo, double hi,
                                 std::optional<T> & out);

// The member's string, or "" when it is missing or not a string (a wrong
// type then reads as an unknown value, never as an exception).
std::string string_member(const nlohmann::json & object, const char * key);

// An optional boolean.
std::optional<error> read_bool(const nlohmann::json & doc, const char * field, bool & out);

}  // namespace tiergate::api
