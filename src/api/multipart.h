#pragma once
// multipart/form-data (RFC 7578) as clients upload files: the boundary from
// the Content-Type header, then each part's name, file name, content type
// and bytes. Hostile bodies are errors, never reads past the body.

#include "core/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace tiergate::api {

struct form_part {
    std::string name;
    std::string filename;  // empty for a plain field
    bool has_filename = false;
    std::string content_type;
    std::string_view body;  // into the request body
};

struct multipart_limits {
    size_t max_parts = 32;
    size_t max_header_bytes = 8192;  // of one part's headers
};

// The parts of `body`; `content_type` is the request's Content-Type header.
result<std::vector<form_part>> parse_multipart(std::string_view content_type, std::string_view body,
                                               const multipart_limits & limits = {});

}  // namespace tiergate::api
