#include "api/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/io_home.h"

namespace tiergate::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

void send_error(responder & r, const error & err, header_list headers) {
    if (err.retry_after_s) {
        headers.emplace_back("Retry-After", std::to_string(*err.retry_after_s));
    }
    r.send(http_status(err.kind), to_openai_json(err), std::move(headers));
}

namespace {

std::string status_line(int status) {
    auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
    std::string line = "HTTP/1.1 " + std::to_string(status) + " ";
    line.append(reason.data(), reason.size());
    line += "\r\n";
    return line;
}

bool header_value_is_safe(const std::string & s) {
    return std::none_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n'; });
}

class session;

// The open connections, so that a drain can close the idle ones at once: a
// client could otherwise send a new request on one after the last request in
// flight ended, and lose it when the server stops.
class session_registry {
  public:
    uint64_t add(std::weak_ptr<session> s) {
        std::lock_guard lock(mutex_);
        const uint64_t id = next_++;
        sessions_.emplace(id, std::move(s));
        return id;
    }
    void remove(uint64_t id) {
        std::lock_guard lock(mutex_);
        sessions_.erase(id);
    }
    std::vector<std::shared_ptr<session>> all() {
        std::lock_guard lock(mutex_);
        std::vector<std::shared_ptr<session>> out;
        out.reserve(sessions_.size());
        for (auto & [id, weak] : sessions_) {
            if (auto s = weak.lock()) {
                out.push_back(std::move(s));
            }
        }
        return out;
    }

  private:
    std::mutex mutex_;
    uint64_t next_ = 0;
    std::unordered_map<uint64_t, std::weak_ptr<session>> sessions_;
};

// The requests in flight on one event loop, so that a client that leaves is
// noticed. A request still running at the first sweep at least one period
// after it began gets a watch on its connection (a registration for
// readiness and a peek when woken); most proxied requests are answered
// sooner and never pay for it. A client that leaves is noticed from 20 to 40
// ms after its request began on. Used on its loop's thread only.
class disconnect_watch {
  public:
    static constexpr std::chrono::milliseconds period{20};

    explicit disconnect_watch(net::io_context & loop) : timer_(loop) {}
    void add(std::weak_ptr<session> s, uint64_t request_id) {
        fresh_.emplace_back(std::move(s), request_id);
        if (!armed_) {
            arm();
        }
    }

  private:
    void arm() {
        armed_ = true;
        timer_.expires_after(period);
        timer_.async_wait([this](beast::error_code ec) {
            if (ec) {
                return;  // the loop is ending
            }
            armed_ = false;
            sweep();
        });
    }
    void sweep();

    net::steady_timer timer_;
    std::vector<std::pair<std::weak_ptr<session>, uint64_t>> fresh_;  // begun since the last sweep
    std::vector<std::pair<std::weak_ptr<session>, uint64_t>> older_;  // begun before it
    bool armed_ = false;
};

class session_responder final : public responder {
  public:
    session_responder(std::shared_ptr<session> s, uint64_t request_id, std::shared_ptr<std::atomic<bool>> gone)
        : session_(std::move(s)), request_id_(request_id), gone_(std::move(gone)) {}

    void send(int status, std::string body, header_list headers, std::string content_type) override;
    void start_stream(header_list headers) override;
    void stream(std::string bytes) override;
    void end_stream() override;
    bool alive() const override { return !gone_->load(); }
    std::shared_ptr<std::atomic<bool>> gone_flag() const override { return gone_; }

  private:
    std::shared_ptr<session> session_;
    uint64_t request_id_;
    std::shared_ptr<std::atomic<bool>> gone_;
};

class session : public std::enable_shared_from_this<session> {
  public:
    session(tcp::socket && socket, const server_options & options, const handler_fn & handler,
            std::atomic<int64_t> & open, std::atomic<int64_t> & in_flight, const std::atomic<bool> & draining,
            session_registry & registry, disconnect_watch & watch)
        : stream_(std::move(socket)),
          timer_(stream_.get_executor()),
          keep_alive_header_("Keep-Alive: timeout=" +
                             std::to_string(std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(
                                                                     options.idle_timeout).count())) + "\r\n"),
          options_(options),
          handler_(handler),
          open_(open),
          in_flight_(in_flight),
          draining_(draining),
          registry_(registry),
          watch_(watch) {
        ++open_;
    }
    ~session() {
        registry_.remove(registry_id_);
        request_finished();
        --open_;
    }

    void start() {
        beast::error_code ignored;
        const auto peer = stream_.socket().remote_endpoint(ignored);  // once per connection, not per request
        remote_address_ = ignored ? std::string() : peer.address().to_string();
        registry_id_ = registry_.add(weak_from_this());
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
    }

    // For a drain: a connection waiting for its next request is closed now;
    // one with a request under way ends after its response.
    void close_if_idle() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            if (self->idle_) {
                self->on_idle_timeout();
            }
        });
    }

    // --- called on the connection's loop, through the responder ---
    void write_response(uint64_t id, int status, std::string body, header_list headers, std::string content_type) {
        if (id != request_id_ || responded_) {
            return;
        }
        responded_ = true;
        response_done_ = true;
        request_finished();
        end_keep_alive_if_draining();
        std::string out = status_line(status);
        out += "Content-Type: " + content_type + "\r\n";
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        append_headers(out, headers);
        append_connection(out);
        out += body;
        enqueue(std::move(out));
    }

    void write_stream_start(uint64_t id, header_list headers) {
        if (id != request_id_ || responded_) {
            return;
        }
        responded_ = true;
        streaming_ = true;
        end_keep_alive_if_draining();
        std::string out = status_line(200);
        out += "Content-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n";
        append_headers(out, headers);
        append_connection(out);
        enqueue(std::move(out));
    }

    void write_stream_bytes(uint64_t id, std::string bytes) {
        if (id != request_id_ || !streaming_ || response_done_ || bytes.empty()) {
            return;
        }
        char size[32];
        int n = snprintf(size, sizeof(size), "%zx\r\n", bytes.size());
        std::string out(size, static_cast<size_t>(n));
        out += bytes;
        out += "\r\n";
        enqueue(std::move(out));
    }

    void write_stream_end(uint64_t id) {
        if (id != request_id_ || !streaming_ || response_done_) {
            return;
        }
        response_done_ = true;
        request_finished();
        enqueue("0\r\n\r\n");
    }

    net::any_io_executor executor() { return stream_.get_executor(); }

    // From the loop's disconnect watch: the request begun a sweep ago.
    void watch_if_running(uint64_t id) {
        if (id == request_id_ && !response_done_ && !closed_ && !watching_) {
            watch_disconnect(id);
        }
    }

  private:
    // While the server drains, a response ends its connection, so a client
    // with a keep-alive connection cannot keep the drain from finishing.
    void end_keep_alive_if_draining() {
        if (draining_.load()) {
            keep_alive_ = false;
        }
    }

    // A request counts as in flight from its dispatch to the end of its response
    // (or the end of the connection), for a draining shutdown.
    void request_started() {
        if (!counted_) {
            counted_ = true;
            ++in_flight_;
        }
    }
    void request_finished() {
        if (counted_) {
            counted_ = false;
            --in_flight_;
        }
    }

    // The connection headers and the end of the head. A kept-alive connection
    // announces how long it stays open idle, so that clients retire it first.
    void append_connection(std::string & out) const {
        if (keep_alive_) {
            out += keep_alive_header_;
            out += "Connection: keep-alive\r\n\r\n";
        } else {
            out += "Connection: close\r\n\r\n";
        }
    }

    static void append_headers(std::string & out, const header_list & headers) {
        for (const auto & [name, value] : headers) {
            if (header_value_is_safe(name) && header_value_is_safe(value)) {
                out += name + ": " + value + "\r\n";
            }
        }
    }

    // Reading a request has two phases. Idle: the connection waits for the
    // first byte of its next request, up to idle_timeout, and only then may
    // the server close it (a client that honours the announced timeout has
    // retired it by then). Reading: from the first byte on, the request is
    // answered, whole within read_timeout or with a 408; the server never
    // closes a connection on which a request has begun without answering it.
    void do_read() {
        parser_.emplace();
        parser_->body_limit(options_.max_body_bytes);
        parser_->header_limit(64 * 1024);
        if (buffer_.size() > 0) {
            return read_request();  // the next request is already here (pipelined)
        }
        if (draining_.load()) {
            return linger_close();
        }
        idle_ = true;
        arm_timer(options_.idle_timeout, [](session & s) { s.on_idle_timeout(); });
        stream_.async_read_some(buffer_.prepare(first_read_bytes),
                                [self = shared_from_this()](beast::error_code ec, size_t n) {
                                    self->on_first_bytes(ec, n);
                                });
    }

    void on_first_bytes(beast::error_code ec, size_t n) {
        idle_ = false;
        if (ec) {
            disarm_timer();
            return close();  // the client closed its idle connection, or the idle timeout did
        }
        buffer_.commit(n);
        read_request();
    }

    void on_idle_timeout() {
        beast::error_code aec;
        if (stream_.socket().available(aec) > 0 && !aec) {
            return;  // a request has just arrived: the read completes now and answers it
        }
        close();
    }

    void read_request() {
        arm_timer(options_.read_timeout, [](session & s) {
            s.read_timed_out_ = true;
            beast::error_code ignored;
            s.stream_.socket().cancel(ignored);  // on_read answers 408
        });
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
    }

    // One timer per connection for both read phases; a new arm or a disarm
    // makes an expiry already queued a no-op.
    template <class F>
    void arm_timer(std::chrono::milliseconds after, F on_expiry) {
        const uint64_t gen = ++timer_gen_;
        timer_.expires_after(after);
        timer_.async_wait([self = shared_from_this(), gen, on_expiry](beast::error_code ec) {
            if (!ec && gen == self->timer_gen_ && !self->closed_) {
                on_expiry(*self);
            }
        });
    }
    void disarm_timer() {
        ++timer_gen_;
        timer_.cancel();
    }

    void on_read(beast::error_code ec) {
        disarm_timer();
        const bool timed_out = read_timed_out_ && ec;  // a request that arrived whole at the deadline is served
        read_timed_out_ = false;
        if (!timed_out && (ec == http::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
                           ec == net::error::connection_reset || ec == net::error::operation_aborted)) {
            return close();
        }
        ++request_id_;
        responded_ = false;
        response_done_ = false;
        streaming_ = false;
        if (ec || timed_out) {
            keep_alive_ = false;
            error err = timed_out
                ? error{error_kind::request_timeout,
                        "the request did not arrive whole within " + std::to_string(options_.read_timeout.count()) +
                            " ms (server.read_timeout_ms)",
                        "", "request_timeout", {}}
                : ec == http::error::body_limit
                ? error{error_kind::payload_too_large,
                        "the request body is larger than the limit of " + std::to_string(options_.max_body_bytes) + " bytes",
                        "", "body_too_large", {}}
                : error::invalid("malformed HTTP request: " + ec.message(), "", "bad_http");
            std::string path;
            if (parser_) {  // the request line, when it was read (the rest of the header may not have been)
                path = std::string(parser_->get().target());
                path = path.substr(0, path.find('?'));
            }
            write_response(request_id_, http_status(err.kind),
                           options_.error_body ? options_.error_body(path, err) : to_openai_json(err), {},
                           "application/json");
            return;
        }
        auto msg = parser_->release();
        keep_alive_ = msg.keep_alive();

        http_request req;
        req.method = std::string(msg.method_string());
        req.target = std::string(msg.target());
        req.path = req.target.substr(0, req.target.find('?'));
        for (const auto & field : msg) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            req.headers[name] = std::string(field.value());
        }
        req.body = std::move(msg.body());
        req.remote_address = remote_address_;

        gone_ = std::make_shared<std::atomic<bool>>(false);
        request_started();
        auto r = std::make_shared<session_responder>(shared_from_this(), request_id_, gone_);
        handler_(std::move(req), std::move(r));
        if (!response_done_ && !closed_) {
            watch_.add(weak_from_this(), request_id_);
        }
    }

    // Watches a connection while its request runs: the peer closing it ends
    // the request. A wake-up is not proof of that: a readiness event collected
    // before this request's bytes were read can complete the wait with nothing
    // to read and the peer still there, so only an end of stream or an error
    // seen by a peek counts.
    void watch_disconnect(uint64_t id) {
        watching_ = true;
        stream_.socket().async_wait(tcp::socket::wait_read, [self = shared_from_this(), id](beast::error_code ec) {
            self->watching_ = false;
            if (id != self->request_id_ || self->response_done_ || self->closed_) {
                return;
            }
            if (!ec) {
                switch (self->peek_peer()) {
                    case peer_state::data: return;  // a pipelined request: it is read after this response
                    case peer_state::quiet: return self->watch_disconnect(id);
                    case peer_state::gone: break;
                }
            }
            self->gone_->store(true);
            self->close();
        });
    }

    enum class peer_state { data, quiet, gone };
    peer_state peek_peer() {
        char byte;
        const ssize_t n = ::recv(stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n > 0) {
            return peer_state::data;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            return peer_state::quiet;
        }
        return peer_state::gone;
    }

    void enqueue(std::string bytes) {
        if (closed_) {
            return;
        }
        pending_.push_back(std::move(bytes));
        if (!writing_) {
            flush();
        }
    }

    void flush() {
        if (pending_.empty()) {
            writing_ = false;
            if (response_done_) {
                on_response_complete();
            }
            return;
        }
        writing_ = true;
        out_.clear();
        for (auto & p : pending_) {
            out_ += p;
        }
        pending_.clear();
        stream_.expires_after(std::chrono::seconds(options_.write_timeout_s));
        net::async_write(stream_, net::buffer(out_), [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec) {
                self->gone_->store(true);
                return self->close();
            }
            self->flush();
        });
    }

    void on_response_complete() {
        stream_.expires_never();
        if (!keep_alive_ || draining_.load()) {
            return linger_close();
        }
        // stop watching for a disconnect: the next read does that now
        if (watching_) {
            beast::error_code ignored;
            stream_.socket().cancel(ignored);
        }
        do_read();
    }

    // Closes after a response that ends the connection (an error before the
    // whole request was read, a client that asked for close). Closing with
    // unread input would reset the connection and could destroy the response
    // before the client read it, so the rest of the input is read and dropped
    // first, for a bounded time and amount.
    void linger_close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(std::chrono::seconds(2));
        drain_input();
    }

    void drain_input() {
        stream_.async_read_some(net::buffer(discard_), [self = shared_from_this()](beast::error_code ec, size_t n) {
            self->discarded_ += n;
            if (ec || self->discarded_ > (64u << 20)) {
                return self->close();
            }
            self->drain_input();
        });
    }

    void close() {
        if (closed_) {
            return;
        }
        closed_ = true;
        disarm_timer();
        if (gone_) {
            gone_->store(true);
        }
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    static constexpr size_t first_read_bytes = 16 * 1024;

    beast::tcp_stream stream_;
    net::steady_timer timer_;
    uint64_t timer_gen_ = 0;
    bool read_timed_out_ = false;
    const std::string keep_alive_header_;
    std::string remote_address_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    const server_options & options_;
    const handler_fn & handler_;
    std::atomic<int64_t> & open_;
    std::atomic<int64_t> & in_flight_;
    const std::atomic<bool> & draining_;
    session_registry & registry_;
    disconnect_watch & watch_;
    bool watching_ = false;
    uint64_t registry_id_ = 0;
    bool idle_ = false;
    bool counted_ = false;
    char discard_[16 * 1024];
    size_t discarded_ = 0;

    uint64_t request_id_ = 0;
    bool keep_alive_ = true;
    bool responded_ = false;
    bool response_done_ = false;
    bool streaming_ = false;
    bool writing_ = false;
    bool closed_ = false;
    std::deque<std::string> pending_;
    std::string out_;
    std::shared_ptr<std::atomic<bool>> gone_;
};

void disconnect_watch::sweep() {
    for (auto & [weak, id] : older_) {
        if (auto s = weak.lock()) {
            s->watch_if_running(id);
        }
    }
    older_.clear();
    std::swap(older_, fresh_);
    if (!older_.empty()) {
        arm();
    }
}

void session_responder::send(int status, std::string body, header_list headers, std::string content_type) {
    net::dispatch(session_->executor(), [s = session_, id = request_id_, status, body = std::move(body),
                                         headers = std::move(headers), ct = std::move(content_type)]() mutable {
        s->write_response(id, status, std::move(body), std::move(headers), std::move(ct));
    });
}

void session_responder::start_stream(header_list headers) {
    net::dispatch(session_->executor(), [s = session_, id = request_id_, headers = std::move(headers)]() mutable {
        s->write_stream_start(id, std::move(headers));
    });
}

void session_responder::stream(std::string bytes) {
    net::dispatch(session_->executor(), [s = session_, id = request_id_, bytes = std::move(bytes)]() mutable {
        s->write_stream_bytes(id, std::move(bytes));
    });
}

void session_responder::end_stream() {
    net::dispatch(session_->executor(), [s = session_, id = request_id_] { s->write_stream_end(id); });
}

}  // namespace

struct http_server::impl {
    server_options options;
    handler_fn handler;
    // before the loops: what sessions refer to outlives the sessions that the
    // loops' destructors destroy
    session_registry sessions;
    std::atomic<int64_t> open{0};
    std::atomic<int64_t> in_flight{0};
    std::atomic<bool> draining{false};
    // One event loop per I/O thread, each run by its thread alone: a
    // connection lives on one loop, and so does the work its requests begin
    // there (see core/io_home.h). The acceptor is on the first; accepted
    // connections are dealt to the loops in turn.
    std::vector<std::unique_ptr<net::io_context>> loops;
    std::vector<std::unique_ptr<disconnect_watch>> watches;  // one per loop, on it
    std::mutex guards_mutex;
    std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;  // idle loops keep running
    std::optional<tcp::acceptor> acceptor;
    size_t next_loop = 0;
    uint16_t bound_port = 0;
    bool discarded = false;

    void do_accept() {
        const size_t at = next_loop;
        next_loop = (next_loop + 1) % loops.size();
        acceptor->async_accept(*loops[at], [this, at](beast::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || !acceptor->is_open()) {
                return;
            }
            if (!ec) {
                socket.set_option(tcp::no_delay(true), ec);
                std::make_shared<session>(std::move(socket), options, handler, open, in_flight, draining, sessions,
                                          *watches[at])
                    ->start();
            }
            do_accept();
        });
    }

    void close_acceptor() {
        net::post(*loops.front(), [this] {
            if (acceptor && acceptor->is_open()) {
                beast::error_code ignored;
                acceptor->close(ignored);
            }
        });
    }

    static void run_loop(net::io_context & loop) {
        io_home home(loop);  // its resources (pooled upstream connections) end with the loop, on this thread
        io_home::scope here(home);
        loop.run();
    }
};

http_server::http_server(server_options options, handler_fn handler) : impl_(std::make_unique<impl>()) {
    impl_->options = std::move(options);
    impl_->handler = std::move(handler);
    const int n = std::max(1, impl_->options.io_threads);
    for (int i = 0; i < n; ++i) {
        impl_->loops.push_back(std::make_unique<net::io_context>(1));
        impl_->watches.push_back(std::make_unique<disconnect_watch>(*impl_->loops.back()));
        impl_->guards.push_back(net::make_work_guard(*impl_->loops.back()));
    }
}

http_server::~http_server() { discard(); }

result<bool> http_server::start() {
    auto & d = *impl_;
    beast::error_code ec;
    auto address = net::ip::make_address(d.options.host, ec);
    if (ec) {
        return error::invalid("cannot listen on '" + d.options.host + "': not an IP address");
    }
    tcp::endpoint endpoint(address, d.options.port);
    d.acceptor.emplace(*d.loops.front());
    d.acceptor->open(endpoint.protocol(), ec);
    if (!ec) {
        d.acceptor->set_option(net::socket_base::reuse_address(true), ec);
        d.acceptor->bind(endpoint, ec);
    }
    if (!ec) {
        d.acceptor->listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return error{error_kind::unavailable,
                     "cannot listen on " + d.options.host + ":" + std::to_string(d.options.port) + ": " + ec.message(),
                     "", "listen_failed", {}};
    }
    d.bound_port = d.acceptor->local_endpoint().port();
    d.do_accept();
    return true;
}

uint16_t http_server::port() const { return impl_->bound_port; }

void http_server::run() {
    auto & d = *impl_;
    std::vector<std::thread> extra;
    for (size_t i = 1; i < d.loops.size(); ++i) {
        extra.emplace_back([loop = d.loops[i].get()] { impl::run_loop(*loop); });
    }
    impl::run_loop(*d.loops.front());
    for (auto & t : extra) {
        t.join();
    }
}

void http_server::stop() {
    auto & d = *impl_;
    std::lock_guard lock(d.guards_mutex);
    if (d.discarded) {
        return;
    }
    d.close_acceptor();
    d.guards.clear();
    for (auto & loop : d.loops) {
        loop->stop();
    }
}

void http_server::discard() {
    auto & d = *impl_;
    stop();
    std::optional<tcp::acceptor> acceptor;
    std::vector<std::unique_ptr<disconnect_watch>> watches;
    std::vector<std::unique_ptr<net::io_context>> loops;
    {
        std::lock_guard lock(d.guards_mutex);
        if (d.discarded) {
            return;
        }
        d.discarded = true;
        acceptor = std::move(d.acceptor);
        d.acceptor.reset();
        watches = std::move(d.watches);
        loops = std::move(d.loops);
    }
    // outside the lock: destroying the work left runs its destructors
    // (accounting, a ledger submit that may wait for room)
    acceptor.reset();  // before their loops
    watches.clear();
    loops.clear();
}

bool http_server::drain(std::chrono::milliseconds timeout) {
    auto & d = *impl_;
    d.draining = true;
    {
        std::lock_guard lock(d.guards_mutex);
        if (!d.discarded) {
            d.close_acceptor();
        }
    }
    for (auto & s : d.sessions.all()) {
        s->close_if_idle();
    }
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (d.in_flight.load() > 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const bool drained = d.in_flight.load() == 0;
    stop();
    return drained;
}

int64_t http_server::open_connections() const { return impl_->open.load(); }
int64_t http_server::requests_in_flight() const { return impl_->in_flight.load(); }

}  // namespace tiergate::api
