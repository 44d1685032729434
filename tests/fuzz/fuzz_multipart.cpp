// The multipart/form-data reader on hostile bodies: the first line of the
// input is the Content-Type, the rest the body. Parts or an error, never a
// crash; every part's bytes lie inside the body, in order.
#include "api/multipart.h"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const size_t eol = input.find('\n');
    const std::string_view type = input.substr(0, eol);
    const std::string_view body = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
    auto parts = tiergate::api::parse_multipart(type, body);
    if (!parts) {
        return 0;
    }
    const char * cursor = body.data();
    for (const auto & p : *parts) {
        if (p.name.empty() || p.body.data() < cursor || p.body.data() + p.body.size() > body.data() + body.size()) {
            std::abort();
        }
        cursor = p.body.data() + p.body.size();
    }
    return 0;
}
