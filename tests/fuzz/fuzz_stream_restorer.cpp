// Pseudonyms restored from a streamed answer: the values found in a prompt
// get placeholders; an answer made of those placeholders and any other bytes,
// fed in arbitrary chunks, restores to exactly what restoring it whole gives.
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "guard/pseudonymizer.h"
#include "guard/scanner.h"
#include "guard/stream_restorer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string_view input = fuzz::as_text(data, size);
    // layout: prompt \0 answer template \0 split seed
    const size_t a = input.find('\0');
    const std::string_view prompt = input.substr(0, a);
    std::string_view rest = a == std::string_view::npos ? std::string_view() : input.substr(a + 1);
    const size_t b = rest.find('\0');
    const std::string_view answer_template = rest.substr(0, b);
    const std::string_view seed = b == std::string_view::npos ? std::string_view() : rest.substr(b + 1);

    guard::pseudonymizer names;
    const std::string masked = names.pseudonymize(prompt, guard::scan(prompt));
    if (names.restore(masked) != prompt) {
        fuzz::violated("restore(pseudonymize(x)) != x");
    }
    // the answer: each '#' in the template becomes the masked prompt, so it
    // holds real placeholders next to arbitrary bytes
    std::string answer;
    for (char c : answer_template) {
        if (c == '#') {
            answer += masked;
        } else {
            answer += c;
        }
    }
    const std::string whole = names.restore(answer);
    guard::stream_restorer restorer(names);
    std::string streamed;
    size_t at = 0;
    for (size_t n : fuzz::split_points(seed, answer.size())) {
        streamed += restorer.feed(std::string_view(answer).substr(at, n));
        at += n;
    }
    streamed += restorer.finish();
    if (streamed != whole) {
        fuzz::violated("restore(split(x)) != restore(x)");
    }
    return 0;
}
