#pragma once
// The answer a whole-response writer collects from a generation's deltas
// (text, logprobs, tool calls), in either dialect; cleared when the answer
// is taken back and begun again.

#include <string>
#include <vector>

#include "core/chat_types.h"
#include "providers/openai_tool_wire.h"

namespace tiergate::api {

struct collected_answer {
    std::string text;
    std::vector<token_logprob> logprobs;
    providers::tool_call_collector tool_calls;

    void add(generation_delta && d) {
        text += d.content;
        for (auto & lp : d.logprobs) {
            logprobs.push_back(std::move(lp));
        }
        for (const auto & t : d.tool_calls) {
            tool_calls.add(t);
        }
    }
    void clear() {
        text.clear();
        logprobs.clear();
        tool_calls.clear();
    }
};

}  // namespace tiergate::api
