#pragma once
// What a chat with tools needs from llama.cpp's chat machinery beyond its
// prompt: the format's grammar (lazy: it applies from the first trigger on,
// e.g. "<tool_call>"), its triggers and preserved tokens, and the parser
// that reads tool calls back from the generated text. Engine-internal: it
// holds llama.cpp's common types.

#include "chat.h"

namespace tiergate::engine {

struct tool_format {
    common_chat_params params;
    common_chat_parser_params parser;
    // The template has no tool-call syntax: engine/generic_tool_format.h
    // (params.grammar is its grammar, applied from the first token).
    bool generic = false;
};

}  // namespace tiergate::engine
