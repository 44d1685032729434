#pragma once
// Anthropic Messages API request bodies (POST /v1/messages and
// /v1/messages/count_tokens) -> the same typed call the OpenAI endpoints
// produce, so that both dialects take one path through the gateway.
// `system` becomes a leading system message; tool_use blocks become an
// assistant's tool_calls, tool_result blocks tool messages. Every rejection
// names the field; nothing here throws.

#include <string_view>

#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::api {

// count_tokens: max_tokens is not required there.
result<generation_call> parse_messages_request(std::string_view body, bool count_tokens = false);

}  // namespace tiergate::api
