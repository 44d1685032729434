// The guard's scanner on any bytes (invalid UTF-8 included): findings lie
// inside the text, in order, without overlaps.
#include "fuzz_input.h"
#include "guard/scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string_view text = fuzz::as_text(data, size);
    const auto findings = guard::scan(text);
    size_t last_end = 0;
    for (const auto & f : findings) {
        if (f.start >= f.end || f.end > text.size()) {
            fuzz::violated("a finding lies outside the text or is empty");
        }
        if (f.start < last_end) {
            fuzz::violated("findings overlap or are out of order");
        }
        if (!(f.score >= 0.0f && f.score <= 1.0f)) {
            fuzz::violated("a finding's score is outside 0..1");
        }
        last_end = f.end;
    }
    return 0;
}
