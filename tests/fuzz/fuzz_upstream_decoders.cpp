// Both upstream dialect decoders (OpenAI-compatible, Anthropic) on hostile
// responses: a streamed body through the SSE parser, or a whole JSON body.
// They yield deltas or an error and never crash. A decoder may throw a
// std::exception on wrongly typed JSON (nlohmann's accessors do): the remote
// provider runs every decoder step inside decode(), which turns it into an
// invalid-response error, so the target does the same.
#include <memory>
#include <vector>

#include "fuzz_input.h"
#include "providers/anthropic_dialect.h"
#include "providers/openai_dialect.h"
#include "providers/sse_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    if (size < 1) {
        return 0;
    }
    // first byte: bit 0 the dialect, bit 1 streamed or whole, bit 2 chat or completion
    const uint8_t mode = data[0];
    const std::string_view body = fuzz::as_text(data + 1, size - 1);

    generation_call call;
    call.kind = (mode & 4) ? request_kind::completion : request_kind::chat;
    call.model = "m";
    call.stream = (mode & 2) != 0;
    call.include_usage = true;
    call.params.logprobs = true;

    std::unique_ptr<providers::remote_dialect> dialect;
    if (mode & 1) {
        dialect = std::make_unique<providers::anthropic_dialect>();
    } else {
        dialect = std::make_unique<providers::openai_dialect>(false);
    }
    auto decoder = dialect->make_decoder(call, "m");
    std::vector<generation_delta> out;
    try {
        if (call.stream) {
            bool failed = false;
            providers::sse_parser parser([&](providers::sse_event && ev) {
                if (!failed && decoder->on_event(ev, out)) {
                    failed = true;  // the provider stops reading at the first error
                }
            });
            parser.feed(body);
        } else {
            (void)decoder->on_json(body, out);
        }
    } catch (const std::exception &) {
        return 0;  // an invalid response, as remote_provider's decode() reports it
    }
    (void)decoder->finished();
    (void)decoder->reported_usage();
    (void)decoder->finish_reason();
    return 0;
}
