#include "providers/token_estimate.h"

namespace tiergate::providers {

int estimate_tokens(size_t text_bytes) { return static_cast<int>((text_bytes + 3) / 4); }

size_t prompt_bytes(const generation_call & call) {
    if (call.kind == request_kind::completion) {
        return call.prompt.size();
    }
    size_t n = 0;
    for (const auto & m : call.messages) {
        n += m.content.size();
        for (const auto & c : m.tool_calls) {
            n += c.name.size() + c.arguments.size();
        }
    }
    // tool definitions are part of the prompt the model reads
    for (const auto & t : call.tools) {
        n += t.name.size() + t.description.size() + t.parameters_json.size();
    }
    return n;
}

}  // namespace tiergate::providers
