#include "api/multipart.h"

#include <algorithm>
#include <cctype>

namespace tiergate::api {

namespace {

error bad(std::string message) { return error::invalid("multipart body: " + std::move(message), "file", "invalid_multipart"); }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// The parameters after the first ';' of a header value: name=value or
// name="quoted \"value\"". Names are lower-cased.
std::vector<std::pair<std::string, std::string>> header_params(std::string_view value) {
    std::vector<std::pair<std::string, std::string>> out;
    size_t i = value.find(';');
    while (i != std::string_view::npos && i < value.size()) {
        ++i;
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) {
            ++i;
        }
        const size_t eq = value.find('=', i);
        const size_t semi = value.find(';', i);
        if (eq == std::string_view::npos || (semi != std::string_view::npos && semi < eq)) {
            i = semi;
            continue;
        }
        std::string name = lower(trim(value.substr(i, eq - i)));
        size_t j = eq + 1;
        std::string v;
        if (j < value.size() && value[j] == '"') {
            ++j;
            while (j < value.size() && value[j] != '"') {
                if (value[j] == '\\' && j + 1 < value.size()) {
                    ++j;
                }
                v.push_back(value[j]);
                ++j;
            }
            i = value.find(';', j);
        } else {
            const size_t end = value.find(';', j);
            v = std::string(trim(value.substr(j, end == std::string_view::npos ? std::string_view::npos : end - j)));
            i = end;
        }
        out.emplace_back(std::move(name), std::move(v));
    }
    return out;
}

}  // namespace

result<std::vector<form_part>> parse_multipart(std::string_view content_type, std::string_view body,
                                               const multipart_limits & limits) {
    const size_t semi = content_type.find(';');
    if (lower(trim(content_type.substr(0, semi))) != "multipart/form-data") {
        return error::invalid("the body must be multipart/form-data with a `file` and a `purpose` field", "file",
                              "invalid_content_type");
    }
    std::string boundary;
    for (auto & [k, v] : header_params(content_type)) {
        if (k == "boundary") {
            boundary = v;
        }
    }
    if (boundary.empty() || boundary.size() > 200) {
        return bad("the Content-Type has no boundary (or one over 200 bytes)");
    }
    const std::string dash = "--" + boundary;
    const std::string delimiter = "\r\n" + dash;
    // the first boundary may start the body or follow a preamble line
    size_t pos;
    if (body.substr(0, dash.size()) == dash) {
        pos = dash.size();
    } else {
        pos = body.find(delimiter);
        if (pos == std::string_view::npos) {
            return bad("no boundary found");
        }
        pos += delimiter.size();
    }
    std::vector<form_part> parts;
    while (true) {
        if (body.substr(pos, 2) == "--") {
            return parts;  // the closing delimiter
        }
        // transport padding, then the line break that ends the boundary line
        while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) {
            ++pos;
        }
        if (body.substr(pos, 2) != "\r\n") {
            return bad("a boundary line does not end with CRLF");
        }
        pos += 2;
        const size_t headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos || headers_end - pos > limits.max_header_bytes) {
            return bad("a part's headers do not end (or exceed " + std::to_string(limits.max_header_bytes) + " bytes)");
        }
        if (parts.size() == limits.max_parts) {
            return bad("more than " + std::to_string(limits.max_parts) + " parts");
        }
        form_part part;
        bool disposition = false;
        std::string_view headers = body.substr(pos, headers_end - pos);
        while (!headers.empty()) {
            const size_t eol = headers.find("\r\n");
            std::string_view line = headers.substr(0, eol);
            headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
            const size_t colon = line.find(':');
            if (colon == std::string_view::npos) {
                return bad("a part header has no ':'");
            }
            const std::string name = lower(trim(line.substr(0, colon)));
            const std::string_view value = trim(line.substr(colon + 1));
            if (name == "content-disposition") {
                if (lower(trim(value.substr(0, value.find(';')))) != "form-data") {
                    return bad("a part's Content-Disposition is not form-data");
                }
                disposition = true;
                for (auto & [k, v] : header_params(value)) {
                    if (k == "name") {
                        part.name = v;
                    } else if (k == "filename") {
                        part.filename = v;
                        part.has_filename = true;
                    }
                }
            } else if (name == "content-type") {
                part.content_type = std::string(value);
            }
        }
        if (!disposition || part.name.empty()) {
            return bad("a part has no Content-Disposition with a name");
        }
        const size_t data = headers_end + 4;
        const size_t end = body.find(delimiter, data);
        if (end == std::string_view::npos) {
            return bad("the body ends inside the part '" + part.name.substr(0, 100) + "' (no closing boundary)");
        }
        part.body = body.substr(data, end - data);
        parts.push_back(std::move(part));
        pos = end + delimiter.size();
    }
}

}  // namespace tiergate::api
