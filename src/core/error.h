#pragma once
// The one error type of tiergate and its mapping to HTTP status and the
// OpenAI error shape {"error":{"message","type","param","code"}}.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tiergate {

enum class error_kind {
    invalid_request,   // 400: the client sent something we cannot serve
    authentication,    // 401: no or bad API key
    permission,        // 403: key outside its scope, or policy forbids
    not_found,         // 404: unknown model or route
    method_not_allowed,  // 405: a known route asked with the wrong method
    request_timeout,   // 408: the client did not send its whole request in time
    payload_too_large, // 413: body over the limit
    unprocessable,     // 422: well-formed but cannot be applied (a config that does not validate)
    rate_limited,      // 429: budget or rate limit exhausted
    upstream,          // 502: every upstream attempt failed
    timeout,           // 504: deadline passed
    unavailable,       // 503: not ready, shutting down, overloaded
    internal,          // 500: a bug
};

struct error {
    error_kind kind = error_kind::internal;
    std::string message;
    std::string param;  // the offending field, empty if none
    std::string code;   // a stable machine-readable code, empty if none
    std::optional<int> retry_after_s;  // for 429/503

    static error invalid(std::string message, std::string param = {}, std::string code = {}) {
        return {error_kind::invalid_request, std::move(message), std::move(param), std::move(code), {}};
    }
};

int http_status(error_kind kind);
const char * openai_type(error_kind kind);
// {"error":{"message":..,"type":..,"param":..|null,"code":..|null}}
std::string to_openai_json(const error & err);

// A value or an error: the return type of expected failures.
template <class T>
class result {
  public:
    result(T value) : v_(std::move(value)) {}
    result(error err) : v_(std::move(err)) {}
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T & value() { return std::get<0>(v_); }
    const T & value() const { return std::get<0>(v_); }
    T & operator*() { return value(); }
    const T & operator*() const { return value(); }
    T * operator->() { return &value(); }
    const T * operator->() const { return &value(); }
    const error & err() const { return std::get<1>(v_); }

  private:
    std::variant<T, error> v_;
};

}  // namespace tiergate
