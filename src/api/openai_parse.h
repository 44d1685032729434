#pragma once
// OpenAI request bodies -> typed calls. Every rejection names the field and
// what was wrong with it; nothing here throws.

#include <string_view>

#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::api {

result<generation_call> parse_chat_request(std::string_view body);
result<generation_call> parse_completion_request(std::string_view body);
result<embedding_call> parse_embedding_request(std::string_view body);
// True when the body is a text completion ("prompt" and no "messages"), for
// /v1/route, which takes either; false for anything else, malformed included.
bool is_completion_body(std::string_view body);

}  // namespace tiergate::api
