#pragma once
// A remote model's base URL split into what a connection needs.

#include <string>
#include <string_view>

#include "core/error.h"

namespace tiergate::providers {

struct endpoint_url {
    bool tls = false;
    std::string host;
    std::string port;       // numeric, the scheme's default when absent
    std::string base_path;  // without trailing slash, may be empty

    // "host" or "host:port" as the Host header wants it
    std::string host_header() const;
    // scheme://host:port, the key of a circuit breaker
    std::string origin() const;
};

// http(s)://host[:port][/path]; IPv6 hosts in brackets.
result<endpoint_url> parse_endpoint_url(std::string_view url);

}  // namespace tiergate::providers
