#include "providers/upstream_error.h"

#include <nlohmann/json.hpp>

namespace tiergate::providers {

using json = nlohmann::json;

namespace {

std::string shorten(std::string_view s, size_t limit = 300) {
    std::string out(s.substr(0, limit));
    if (s.size() > limit) {
        out += "...";
    }
    return out;
}

}  // namespace

std::string upstream_message(std::string_view body) {
    if (body.empty()) {
        return {};
    }
    auto j = json::parse(body, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
        auto it = j.find("error");
        if (it != j.end()) {
            if (it->is_object()) {
                auto m = it->find("message");
                if (m != it->end() && m->is_string()) {
                    return shorten(m->get<std::string>());
                }
            } else if (it->is_string()) {
                return shorten(it->get<std::string>());
            }
        }
        auto m = j.find("message");
        if (m != j.end() && m->is_string()) {
            return shorten(m->get<std::string>());
        }
    }
    return shorten(body, 200);
}

error error_for_status(const std::string & model, int status, std::string_view body,
                       std::optional<millis> retry_after) {
    error e;
    const std::string detail = upstream_message(body);
    std::string message = model + ": upstream answered HTTP " + std::to_string(status);
    if (!detail.empty()) {
        message += ": " + detail;
    }
    if (status == 429) {
        e.kind = error_kind::rate_limited;
        e.code = "upstream_rate_limited";
        if (retry_after) {
            e.retry_after_s = static_cast<int>((retry_after->count() + 999) / 1000);
        }
    } else if (status == 400 || status == 404 || status == 413 || status == 422) {
        e.kind = error_kind::invalid_request;
        e.code = "upstream_rejected";
    } else if (status == 401 || status == 403) {
        e.kind = error_kind::upstream;
        e.code = "upstream_auth";
        message += " (check the key in the model's api_key_env)";
    } else if (status == 408 || status == 504) {
        e.kind = error_kind::timeout;
        e.code = "upstream_timeout";
    } else {
        e.kind = error_kind::upstream;
        e.code = "upstream_error";
    }
    e.message = std::move(message);
    return e;
}

error error_for_transport(const std::string & model, const http_outcome & outcome) {
    error e;
    e.kind = is_timeout(outcome.failure) ? error_kind::timeout : error_kind::upstream;
    e.code = std::string("upstream_") + to_string(outcome.failure);
    e.message = model + ": " + outcome.message;
    return e;
}

error invalid_response(const std::string & model, const std::string & why) {
    return error{error_kind::upstream, model + ": unusable upstream response: " + why, "", "upstream_invalid_response",
                 {}};
}

bool is_retryable_status(int status) { return status == 429 || status >= 500; }

bool is_retryable_transport(transport_failure f) {
    return f == transport_failure::resolve || f == transport_failure::connect ||
           f == transport_failure::connect_timeout || f == transport_failure::reset;
}

}  // namespace tiergate::providers
