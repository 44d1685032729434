#pragma once
// Typed results -> Anthropic Messages API bodies, stream events and errors
// ({"type":"error","error":{"type","message"}}).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/http_server.h"
#include "api/openai_format.h"
#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::api {

// invalid_request_error, authentication_error, permission_error,
// not_found_error, request_too_large, rate_limit_error, timeout_error,
// overloaded_error or api_error.
const char * anthropic_error_type(error_kind kind);
std::string to_anthropic_error_json(const error & err);
// The Anthropic error shape with the status of the error's kind.
void send_anthropic_error(responder & r, const error & err, header_list headers = {});

// end_turn, max_tokens or tool_use for the gateway's finish reasons.
const char * anthropic_stop_reason(const std::string & finish_reason);

// A tool call's arguments as a tool_use block's input (an object; arguments
// that are not a JSON object are kept under "arguments" as text).
nlohmann::json tool_input(const std::string & arguments);

std::string anthropic_message_body(const response_meta & meta, const std::string & text,
                                   const std::vector<tool_call> & tool_calls, const std::string & finish_reason,
                                   const usage & u);

// "event: <type>\ndata: <json>\n\n"
std::string anthropic_event(const nlohmann::json & data);

}  // namespace tiergate::api
