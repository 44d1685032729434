// The server-sent events parser on any bytes, split anywhere: the events it
// yields do not depend on where the chunks were cut.
#include <vector>

#include "fuzz_input.h"
#include "providers/sse_parser.h"

namespace {

struct parsed {
    std::vector<tiergate::providers::sse_event> events;
    size_t pending = 0;
};

parsed parse_in_pieces(std::string_view text, const std::vector<size_t> & pieces) {
    parsed out;
    tiergate::providers::sse_parser parser([&](tiergate::providers::sse_event && ev) { out.events.push_back(std::move(ev)); });
    size_t at = 0;
    for (size_t n : pieces) {
        parser.feed(text.substr(at, n));
        at += n;
    }
    out.pending = parser.pending();
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string_view input = fuzz::as_text(data, size);
    // the first 8 bytes choose the cuts, the rest is the stream
    const std::string_view seed = input.substr(0, std::min<size_t>(8, input.size()));
    const std::string_view stream = input.substr(seed.size());
    const parsed whole = parse_in_pieces(stream, {stream.size()});
    const parsed split = parse_in_pieces(stream, fuzz::split_points(seed, stream.size()));
    if (whole.events.size() != split.events.size() || whole.pending != split.pending) {
        fuzz::violated("the events depend on where the stream was split");
    }
    for (size_t i = 0; i < whole.events.size(); ++i) {
        const auto & a = whole.events[i];
        const auto & b = split.events[i];
        if (a.event != b.event || a.data != b.data || a.id != b.id) {
            fuzz::violated("an event's fields depend on where the stream was split");
        }
    }
    return 0;
}
