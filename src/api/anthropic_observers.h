#pragma once
// Writes a generation as an Anthropic Messages API answer: one message body,
// or its event stream (message_start, ping, content_block_start/delta/stop
// per text or tool_use block, message_delta with the stop reason and usage,
// message_stop; an error event when the answer fails after it began).

#include <memory>

#include "api/anthropic_format.h"
#include "api/http_server.h"
#include "core/chat_types.h"
#include "gateway/response_route.h"

namespace tiergate::api {

std::shared_ptr<generation_observer> make_anthropic_observer(std::shared_ptr<responder> respond, response_meta meta,
                                                             std::shared_ptr<gateway::response_route> route,
                                                             bool stream);

}  // namespace tiergate::api
