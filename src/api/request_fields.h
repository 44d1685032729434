#pragma once
// The wording of a request field of the wrong JSON type, shared by the parsers.

#include <string>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace tiergate::api {

// "a string", "an object", "null", ... for an error message.
const char * json_type_name(const nlohmann::json & v);

// 400 invalid_type: "'<field>' must be <expected>, got <type>".
error wrong_type(const std::string & field, const char * expected, const nlohmann::json & got);

}  // namespace tiergate::api
