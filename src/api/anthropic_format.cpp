#include "api/anthropic_format.h"

#include "api/citation_format.h"

namespace tiergate::api {

using json = nlohmann::json;

namespace {

std::string dump(const json & j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

const char * anthropic_error_type(error_kind kind) {
    switch (kind) {
        case error_kind::invalid_request:
        case error_kind::unprocessable:
        case error_kind::method_not_allowed:
        case error_kind::request_timeout: return "invalid_request_error";
        case error_kind::authentication: return "authentication_error";
        case error_kind::permission: return "permission_error";
        case error_kind::not_found: return "not_found_error";
        case error_kind::payload_too_large: return "request_too_large";
        case error_kind::rate_limited: return "rate_limit_error";
        case error_kind::timeout: return "timeout_error";
        case error_kind::unavailable: return "overloaded_error";
        case error_kind::upstream:
        case error_kind::internal: return "api_error";
    }
    return "api_error";
}

std::string to_anthropic_error_json(const error & err) {
    return dump({{"type", "error"}, {"error", {{"type", anthropic_error_type(err.kind)}, {"message", err.message}}}});
}

void send_anthropic_error(responder & r, const error & err, header_list headers) {
    if (err.retry_after_s) {
        headers.emplace_back("Retry-After", std::to_string(*err.retry_after_s));
    }
    r.send(http_status(err.kind), to_anthropic_error_json(err), std::move(headers));
}

const char * anthropic_stop_reason(const std::string & finish_reason) {
    if (finish_reason == "length") {
        return "max_tokens";
    }
    if (finish_reason == "tool_calls") {
        return "tool_use";
    }
    return "end_turn";
}

json tool_input(const std::string & arguments) {
    if (arguments.empty()) {
        return json::object();
    }
    json j = json::parse(arguments, nullptr, false);
    if (j.is_object()) {
        return j;
    }
    return {{"arguments", arguments}};
}

std::string anthropic_message_body(const response_meta & meta, const std::string & text,
                                   const std::vector<tool_call> & tool_calls, const std::string & finish_reason,
                                   const usage & u) {
    json content = json::array();
    if (!text.empty() || tool_calls.empty()) {
        content.push_back({{"type", "text"}, {"text", text}});
    }
    for (const auto & c : tool_calls) {
        content.push_back({{"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", tool_input(c.arguments)}});
    }
    json body = {{"id", meta.id},
                 {"type", "message"},
                 {"role", "assistant"},
                 {"model", meta.model},
                 {"content", std::move(content)},
                 {"stop_reason", anthropic_stop_reason(finish_reason)},
                 {"stop_sequence", nullptr},
                 {"usage",
                  {{"input_tokens", u.prompt_tokens},
                   {"output_tokens", u.completion_tokens},
                   {"cache_read_input_tokens", u.cached_tokens}}}};
    add_citations(body, meta.citations);
    return dump(body);
}

std::string anthropic_event(const json & data) {
    return "event: " + data.value("type", std::string("message")) + "\ndata: " + dump(data) + "\n\n";
}

}  // namespace tiergate::api
