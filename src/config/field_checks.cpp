#include "config/field_checks.h"

#include <algorithm>
#include <cctype>

namespace tiergate::config {

bool valid_env_name(const std::string & name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
        return false;
    }
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool valid_http_url(const std::string & url) {
    std::string rest;
    if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else {
        return false;
    }
    for (char c : url) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '?' || c == '#') {
            return false;
        }
    }
    std::string authority = rest.substr(0, rest.find('/'));
    if (authority.empty() || authority.find('@') != std::string::npos) {
        return false;
    }
    std::string host = authority;
    if (authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string::npos) {
            return false;
        }
        host = authority.substr(0, close + 1);
        std::string after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return false;
            }
            authority = "x" + after;
        } else {
            return host.size() > 2;
        }
    }
    auto colon = authority.rfind(':');
    if (colon != std::string::npos) {
        std::string port = authority.substr(colon + 1);
        if (port.empty() || port.size() > 5 ||
            !std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
            std::stoi(port) == 0 || std::stoi(port) > 65535) {
            return false;
        }
        if (colon == 0) {
            return false;
        }
    }
    return true;
}

}  // namespace tiergate::config
