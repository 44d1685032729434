// The Anthropic Messages API request parser on any bytes: a typed call or an
// error naming what was wrong, never a crash or a throw. An accepted call's
// tool calls carry JSON-object arguments (the tool_use blocks' input), and
// every tool result answers a call made before it.
#include <set>

#include <nlohmann/json.hpp>

#include "api/anthropic_parse.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string_view body = fuzz::as_text(data, size);
    for (bool count_tokens : {false, true}) {
        auto call = api::parse_messages_request(body, count_tokens);
        if (!call.ok()) {
            if (call.err().message.empty()) {
                fuzz::violated("a refused Messages body has no message");
            }
            continue;
        }
        if (call->model.empty() || call->messages.empty()) {
            fuzz::violated("an accepted Messages body has no model or no messages");
        }
        std::set<std::string> made;
        for (const auto & m : call->messages) {
            for (const auto & c : m.tool_calls) {
                if (!nlohmann::json::parse(c.arguments, nullptr, false).is_object()) {
                    fuzz::violated("a tool_use block's input became arguments that are not a JSON object");
                }
                made.insert(c.id);
            }
            if (m.role == "tool" && made.count(m.tool_call_id) == 0) {
                fuzz::violated("a tool result answers no earlier call");
            }
        }
    }
    return 0;
}
