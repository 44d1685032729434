#pragma once
// An asynchronous HTTP/1.1 client (Boost.Beast) over TCP or TLS. One
// exchange = one connection, one request, one response whose body is handed
// over as it arrives (for server-sent events). An exchange started on a
// thread with an io_home (a server I/O thread) runs on that thread with its
// own pooled connections; one started anywhere else runs on the io_runtime's
// thread. Every callback runs on that thread; on_done is called exactly once,
// unless the loop stops first and destroys the exchange with its callbacks.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "providers/endpoint_url.h"
#include "providers/io_runtime.h"

namespace tiergate::providers {

using millis = std::chrono::milliseconds;

// Per-exchange limits; zero means no limit.
struct http_limits {
    millis connect{10'000};     // resolve + TCP connect + TLS handshake
    millis first_byte{60'000};  // request sent until the first body byte
    millis idle{30'000};        // longest silence between two body chunks
    millis total{300'000};      // the whole exchange
};

struct http_request_spec {
    std::string method = "POST";
    std::string target;  // path and query
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    http_limits limits;
};

enum class transport_failure {
    none,
    resolve,             // the host name does not resolve
    connect,             // refused or unreachable
    tls,                 // handshake or certificate failure
    connect_timeout,
    first_byte_timeout,
    idle_timeout,
    total_timeout,
    reset,               // closed or reset before the response ended
    protocol,            // not a valid HTTP response
    aborted,             // the body consumer stopped the exchange
};

const char * to_string(transport_failure f);
bool is_timeout(transport_failure f);

struct http_outcome {
    transport_failure failure = transport_failure::none;
    std::string message;  // for a failure: what happened
    int status = 0;       // 0 when no response head arrived
};

using header_map = std::map<std::string, std::string>;  // names lower-cased

struct http_callbacks {
    std::function<void(int status, const header_map & headers)> on_head;
    // false stops the exchange (outcome: aborted)
    std::function<bool(std::string_view chunk)> on_body;
    std::function<void(http_outcome && outcome)> on_done;
};

struct http_client_state;

class http_client {
  public:
    explicit http_client(io_runtime & runtime);
    ~http_client();
    http_client(const http_client &) = delete;
    http_client & operator=(const http_client &) = delete;

    // Never blocks; the exchange runs on the caller's io_home or the
    // runtime's thread. Once the runtime is stopped an exchange started
    // off a home fails at once (aborted); one on a stopped home never runs
    // and its callbacks are destroyed with the home's io_context.
    void start(const endpoint_url & url, http_request_spec request, http_callbacks callbacks);

    // Closes the runtime thread's kept-alive connections (a home's close
    // with the home). Only while the runtime's thread is not running (after
    // io_runtime::stop(), before discard()).
    void drop_idle();

  private:
    std::shared_ptr<http_client_state> impl_;
};

}  // namespace tiergate::providers
