#pragma once
// Checks of single field values shared by the config module and the
// modules that read their own sections.

#include <string>

namespace tiergate::config {

// Letters, digits and _, not starting with a digit.
bool valid_env_name(const std::string & name);
// http(s)://host[:port][/path], no spaces, no query or fragment.
bool valid_http_url(const std::string & url);

}  // namespace tiergate::config
