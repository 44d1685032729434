#pragma once
// Asynchronous HTTP/1.1 server (Boost.Beast): a few I/O threads hold any
// number of connections. A handler gets the parsed request and a responder it
// may use from any thread: a whole response, or a server-sent event stream.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"

namespace tiergate::api {

struct http_request {
    std::string method;
    std::string target;  // path and query
    std::string path;    // path only
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string remote_address;

    const std::string * header(const std::string & lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? nullptr : &it->second;
    }
};

using header_list = std::vector<std::pair<std::string, std::string>>;

class responder {
  public:
    virtual ~responder() = default;
    virtual void send(int status, std::string body, header_list headers = {},
                      std::string content_type = "application/json") = 0;
    // Starts a 200 text/event-stream response; then stream() and end_stream().
    virtual void start_stream(header_list headers = {}) = 0;
    virtual void stream(std::string bytes) = 0;
    virtual void end_stream() = 0;
    // False once the client has disconnected.
    virtual bool alive() const = 0;
    // Shared with providers: becomes true when the client disconnects.
    virtual std::shared_ptr<std::atomic<bool>> gone_flag() const = 0;
};

// The OpenAI error shape with its status.
void send_error(responder & r, const error & err, header_list headers = {});

using handler_fn = std::function<void(http_request && request, std::shared_ptr<responder> respond)>;

struct server_options {
    std::string host = "127.0.0.1";
    uint16_t port = 8080;
    size_t max_body_bytes = 8u << 20;
    int io_threads = 1;
    // A request must arrive whole within read_timeout of its first byte
    // (else 408); a kept-alive connection waits idle_timeout for the next
    // request's first byte, announced as `Keep-Alive: timeout=N`.
    std::chrono::milliseconds read_timeout{30'000};
    std::chrono::milliseconds idle_timeout{75'000};
    int write_timeout_s = 120;
    // The body of an error the server answers itself (408, 413, malformed
    // HTTP) in the dialect of the request's path, when its request line
    // arrived (empty path otherwise). Default: the OpenAI error shape.
    std::function<std::string(const std::string & path, const error & err)> error_body;
};

class http_server {
  public:
    http_server(server_options options, handler_fn handler);
    ~http_server();
    http_server(const http_server &) = delete;
    http_server & operator=(const http_server &) = delete;

    // Binds and listens; port 0 picks a free port (see port()).
    result<bool> start();
    uint16_t port() const;
    // Runs the I/O threads until stop(): each runs its own event loop, home
    // to the connections dealt to it and to the work their requests begin
    // there (core/io_home.h).
    void run();
    void stop();
    // After run() has returned: destroys the work left on the event loops
    // (requests cut by the shutdown, their upstream calls) on the caller's
    // thread, so that what it reaches is still there. Call it once nothing
    // else can answer a request of this server (the inference threads have
    // stopped). Idempotent; the destructor calls it.
    void discard();
    // Stops accepting connections, waits up to `timeout` for the requests in
    // flight to be answered, then stops; false if some were still running.
    // Call from a thread other than the I/O threads.
    bool drain(std::chrono::milliseconds timeout);
    int64_t open_connections() const;
    int64_t requests_in_flight() const;

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::api
