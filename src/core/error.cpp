#include "core/error.h"

#include <nlohmann/json.hpp>

namespace tiergate {

int http_status(error_kind kind) {
    switch (kind) {
        case error_kind::invalid_request: return 400;
        case error_kind::authentication: return 401;
        case error_kind::permission: return 403;
        case error_kind::not_found: return 404;
        case error_kind::method_not_allowed: return 405;
        case error_kind::request_timeout: return 408;
        case error_kind::payload_too_large: return 413;
        case error_kind::unprocessable: return 422;
        case error_kind::rate_limited: return 429;
        case error_kind::upstream: return 502;
        case error_kind::timeout: return 504;
        case error_kind::unavailable: return 503;
        case error_kind::internal: return 500;
    }
    return 500;
}

const char * openai_type(error_kind kind) {
    switch (kind) {
        case error_kind::invalid_request: return "invalid_request_error";
        case error_kind::authentication: return "authentication_error";
        case error_kind::permission: return "permission_error";
        case error_kind::not_found: return "not_found_error";
        case error_kind::method_not_allowed: return "invalid_request_error";
        case error_kind::request_timeout: return "invalid_request_error";
        case error_kind::payload_too_large: return "invalid_request_error";
        case error_kind::unprocessable: return "invalid_request_error";
        case error_kind::rate_limited: return "rate_limit_error";
        case error_kind::upstream: return "upstream_error";
        case error_kind::timeout: return "timeout_error";
        case error_kind::unavailable: return "service_unavailable_error";
        case error_kind::internal: return "server_error";
    }
    return "server_error";
}

std::string to_openai_json(const error & err) {
    nlohmann::json body = {
        {"message", err.message},
        {"type", openai_type(err.kind)},
        {"param", err.param.empty() ? nlohmann::json(nullptr) : nlohmann::json(err.param)},
        {"code", err.code.empty() ? nlohmann::json(nullptr) : nlohmann::json(err.code)},
    };
    // error_handler_t::replace: a message quoting client bytes never throws
    return nlohmann::json{{"error", body}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tiergate
