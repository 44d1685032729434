#pragma once
// Tool calling for a chat template without a tool-call syntax of its own
// (llama.cpp's template analysis finds none in it, as in ChatML or a model
// with no template): the tools are described in a system message, and the
// answer is constrained by a grammar to one JSON object,
//   {"tool_calls": [{"name": ..., "arguments": {...}}, ...]}
// or, where the model may answer in text (tool_choice auto),
//   {"response": "..."}
// whose calls' arguments follow each function's parameter schema.

#include <string>
#include <vector>

#include "core/error.h"
#include "engine/engine_types.h"

namespace tiergate::engine::generic_tools {

// The messages to render: the tools and the answer format in a system
// message (the first system message extended, or a new one), and earlier
// tool calls written in the format's JSON.
std::vector<chat_message> prepare_messages(const std::vector<chat_message> & messages, const chat_tools & tools);

// The grammar (GBNF) of the answer.
result<std::string> grammar(const chat_tools & tools);

// The answer read back. A truncated answer (max_tokens) that is not whole
// JSON is returned as text.
result<tool_answer> parse(const std::string & text, bool truncated);

}  // namespace tiergate::engine::generic_tools
