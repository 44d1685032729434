// RouterBench's Python list-of-strings literals on any bytes: a list of
// strings, valid UTF-8 whenever the literal is, or an error.
#include "core/utf8.h"
#include "eval/python_literal.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string_view text = fuzz::as_text(data, size);
    auto list = eval::parse_python_string_list(text);
    if (!list.ok()) {
        if (list.err().message.empty()) {
            fuzz::violated("a refused literal has no message");
        }
        return 0;
    }
    if (is_valid_utf8(text)) {
        for (const auto & s : *list) {
            if (!is_valid_utf8(s)) {
                fuzz::violated("a valid UTF-8 literal gave an invalid UTF-8 string");
            }
        }
    }
    return 0;
}
