#pragma once
// The domain map of an intent data set: a JSON object domain -> list of
// intent names (CLINC150's domains.json). Each intent is in one domain.

#include "core/error.h"

#include <map>
#include <string>
#include <string_view>

namespace tiergate::eval {

using intent_domain_map = std::map<std::string, std::string>;  // intent -> domain

// Errors: not an object, a domain that is not a list of strings, an empty or
// over-long name, an intent in two domains, the reserved "oos".
result<intent_domain_map> parse_intent_domains(std::string_view json_text);
result<intent_domain_map> load_intent_domains(const std::string & path);

}  // namespace tiergate::eval
