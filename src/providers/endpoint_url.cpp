#include "providers/endpoint_url.h"

#include <algorithm>
#include <cctype>

namespace tiergate::providers {

std::string endpoint_url::host_header() const {
    const bool default_port = (tls && port == "443") || (!tls && port == "80");
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return default_port ? h : h + ":" + port;
}

std::string endpoint_url::origin() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return std::string(tls ? "https://" : "http://") + h + ":" + port;
}

result<endpoint_url> parse_endpoint_url(std::string_view url) {
    auto bad = [&](const std::string & why) {
        return error::invalid("endpoint '" + std::string(url) + "' is not a usable URL: " + why, "endpoint",
                              "bad_endpoint");
    };
    endpoint_url out;
    std::string_view rest;
    if (url.substr(0, 8) == "https://") {
        out.tls = true;
        rest = url.substr(8);
    } else if (url.substr(0, 7) == "http://") {
        rest = url.substr(7);
    } else {
        return bad("expected http:// or https://");
    }
    const size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    if (authority.find('@') != std::string_view::npos) {
        return bad("credentials in the URL are not supported; use api_key_env");
    }
    if (!authority.empty() && authority.front() == '[') {
        const size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return bad("unclosed '[' in the host");
        }
        out.host = std::string(authority.substr(1, close - 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return bad("unexpected text after the host");
            }
            out.port = std::string(after.substr(1));
        }
    } else {
        const size_t colon = authority.rfind(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            out.port = std::string(authority.substr(colon + 1));
        }
    }
    if (out.host.empty()) {
        return bad("no host");
    }
    if (out.port.empty()) {
        out.port = out.tls ? "443" : "80";
    }
    if (!std::all_of(out.port.begin(), out.port.end(), [](unsigned char c) { return std::isdigit(c); }) ||
        out.port.size() > 5 || std::stoi(out.port) == 0 || std::stoi(out.port) > 65535) {
        return bad("port '" + out.port + "' is not a number from 1 to 65535");
    }
    while (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    if (path.find_first_of("?#") != std::string_view::npos) {
        return bad("no query or fragment allowed");
    }
    out.base_path = std::string(path);
    return out;
}

}  // namespace tiergate::providers
