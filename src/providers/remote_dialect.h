#pragma once
// What differs between remote APIs (OpenAI chat/completions, Anthropic
// Messages): how a call becomes a request, and how a response becomes deltas.
// The transport, retries and delivery are shared (remote_provider).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat_types.h"
#include "core/error.h"
#include "providers/http_client.h"
#include "providers/sse_parser.h"

namespace tiergate::providers {

// Decodes one response (one attempt). Not thread-safe; one per attempt.
class generation_decoder {
  public:
    virtual ~generation_decoder() = default;
    // One event of a text/event-stream response; appends what it yields.
    virtual std::optional<error> on_event(const sse_event & ev, std::vector<generation_delta> & out) = 0;
    // A whole JSON response (the upstream did not stream).
    virtual std::optional<error> on_json(std::string_view body, std::vector<generation_delta> & out) = 0;
    // The stream's end marker arrived ([DONE], message_stop).
    virtual bool finished() const = 0;
    // Token counts when the upstream reported them.
    virtual std::optional<usage> reported_usage() const = 0;
    // stop | length | content_filter | tool_calls; empty when none was given.
    virtual std::string finish_reason() const = 0;
};

struct upstream_identity {
    std::string model;    // the configured name, also sent upstream
    std::string api_key;  // empty: none sent
};

class remote_dialect {
  public:
    virtual ~remote_dialect() = default;
    // Path below the endpoint's base path, headers and body (limits unset).
    virtual result<http_request_spec> generation_request(const generation_call & call,
                                                         const upstream_identity & who) const = 0;
    virtual std::unique_ptr<generation_decoder> make_decoder(const generation_call & call,
                                                             const std::string & model) const = 0;
};

}  // namespace tiergate::providers
