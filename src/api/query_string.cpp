#include "api/query_string.h"

#include "core/utf8.h"

#include <algorithm>

namespace tiergate::api {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Calls visit(name, value) for each decoded pair until it returns false.
template <class Visit>
void each_pair(const std::string & target, Visit visit) {
    const size_t q = target.find('?');
    if (q == std::string::npos) {
        return;
    }
    std::string_view rest = std::string_view(target).substr(q + 1);
    while (!rest.empty()) {
        const size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        const size_t eq = pair.find('=');
        const std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
        if (!visit(url_decode(pair.substr(0, eq)), value)) {
            return;
        }
    }
}

}  // namespace

std::string url_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+' && plus_is_space) {
            out.push_back(' ');
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::vector<std::string> path_segments(std::string_view path, std::string_view prefix) {
    std::vector<std::string> out;
    std::string_view rest = path.substr(std::min(prefix.size(), path.size()));
    while (!rest.empty()) {
        const size_t slash = rest.find('/');
        out.push_back(url_decode(rest.substr(0, slash), false));
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    }
    return out;
}

std::optional<std::string> query_value(const std::string & target, std::string_view name) {
    std::optional<std::string> found;
    each_pair(target, [&](const std::string & n, const std::string & v) {
        if (n == name) {
            found = v;
            return false;
        }
        return true;
    });
    return found;
}

result<std::map<std::string, std::string, std::less<>>> query_params(const std::string & target) {
    std::map<std::string, std::string, std::less<>> out;
    std::optional<error> failure;
    each_pair(target, [&](const std::string & n, const std::string & v) {
        if (!is_valid_utf8(n) || !is_valid_utf8(v)) {
            failure = error::invalid("a query parameter is not valid UTF-8", "", "invalid_query");
        } else if (out.size() >= 64) {
            failure = error::invalid("too many query parameters (at most 64)", "", "invalid_query");
        } else if (!out.emplace(n, v).second) {
            failure = error::invalid("the query parameter '" + n.substr(0, 64) + "' is given twice", n.substr(0, 64),
                                     "invalid_query");
        }
        return !failure;
    });
    if (failure) {
        return *failure;
    }
    return out;
}

}  // namespace tiergate::api
