#pragma once
// The query string of a request target: percent-decoding and the parameters.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tiergate::api {

// %XX decoded, and '+' as a space (in a query; a path keeps its '+');
// a malformed escape is kept as it is.
std::string url_decode(std::string_view s, bool plus_is_space = true);

// The segments of `path` after `prefix` (which it starts with), split at '/'
// and each decoded as a path ('+' stays '+').
std::vector<std::string> path_segments(std::string_view path, std::string_view prefix);

// One parameter of `target` ("/path?a=1&b=2"); nullopt when absent.
std::optional<std::string> query_value(const std::string & target, std::string_view name);

// Every parameter of `target`, decoded. 400 for a parameter given twice, a
// name or value that is not UTF-8, or more than 64 parameters.
result<std::map<std::string, std::string, std::less<>>> query_params(const std::string & target);

}  // namespace tiergate::api
