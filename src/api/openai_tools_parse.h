#pragma once
// The tool-calling parts of an OpenAI chat request: `tools`, `tool_choice`,
// `parallel_tool_calls`, an assistant message's `tool_calls` and a tool
// message's `tool_call_id`. Every rejection names the field.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::api {

// At most this many tools in one request (the OpenAI API's own limit).
constexpr size_t max_tools = 128;

// tools, tool_choice and parallel_tool_calls of the request body.
std::optional<error> read_tools(const nlohmann::json & doc, generation_call & call);

// An assistant message's tool_calls, or a tool message's tool_call_id.
std::optional<error> read_message_tool_fields(const nlohmann::json & m, const std::string & field, chat_message & msg);

// Every tool message answers a call an earlier assistant message made.
std::optional<error> check_tool_results(const generation_call & call);

}  // namespace tiergate::api
