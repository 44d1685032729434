// The OpenAI request parsers (chat, completion, embeddings) on any bytes:
// they answer a typed call or an error naming a field, never crash or throw.
#include "api/openai_parse.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string_view body = fuzz::as_text(data, size);
    auto chat = api::parse_chat_request(body);
    if (!chat.ok() && chat.err().message.empty()) {
        fuzz::violated("a refused chat body has no message");
    }
    auto completion = api::parse_completion_request(body);
    if (!completion.ok() && completion.err().message.empty()) {
        fuzz::violated("a refused completion body has no message");
    }
    auto embedding = api::parse_embedding_request(body);
    if (!embedding.ok() && embedding.err().message.empty()) {
        fuzz::violated("a refused embedding body has no message");
    }
    (void)api::is_completion_body(body);
    return 0;
}
