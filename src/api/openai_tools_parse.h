#pragma once
// The tool-calling parts of an OpenAI chat request: `tools`, `tool_choice`,
// `parallel_tool_calls`, an assistant message's `tool_calls` and a tool
// message's `tool_call_id`. Every rejection names the field.

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::api {

// At most this many tools in one request (the OpenAI API's own limit).
constexpr size_t max_tools = 128;

// The `tools` array of a request body, in either dialect: at most
// max_tools, each read by `read_one`, their names unique (`name_field`: where
// a tool's name is, after "tools[i]", for the error).
using tool_reader =
    std::function<std::optional<error>(const nlohmann::json & tool, const std::string & field, tool_definition & out)>;
std::optional<error> read_tool_list(const nlohmann::json & doc, const tool_reader & read_one, const char * name_field,
                                    std::vector<tool_definition> & out);

// tools, tool_choice and parallel_tool_calls of the request body.
std::optional<error> read_tools(const nlohmann::json & doc, generation_call & call);

// An assistant message's tool_calls, or a tool message's tool_call_id.
std::optional<error> read_message_tool_fields(const nlohmann::json & m, const std::string & field, chat_message & msg);

// Every tool message answers a call an earlier assistant message made.
std::optional<error> check_tool_results(const generation_call & call);

}  // namespace tiergate::api
