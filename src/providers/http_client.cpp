#include "providers/http_client.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <openssl/ssl.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <limits>
#include <map>
#include <optional>

#include "core/io_home.h"

namespace tiergate::providers {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using clock = std::chrono::steady_clock;

const char * to_string(transport_failure f) {
    switch (f) {
        case transport_failure::none: return "none";
        case transport_failure::resolve: return "resolve";
        case transport_failure::connect: return "connect";
        case transport_failure::tls: return "tls";
        case transport_failure::connect_timeout: return "connect_timeout";
        case transport_failure::first_byte_timeout: return "first_byte_timeout";
        case transport_failure::idle_timeout: return "idle_timeout";
        case transport_failure::total_timeout: return "total_timeout";
        case transport_failure::reset: return "reset";
        case transport_failure::protocol: return "protocol";
        case transport_failure::aborted: return "aborted";
    }
    return "unknown";
}

bool is_timeout(transport_failure f) {
    return f == transport_failure::connect_timeout || f == transport_failure::first_byte_timeout ||
           f == transport_failure::idle_timeout || f == transport_failure::total_timeout;
}

// Kept-alive connections by origin, most recent last, of one I/O thread:
// touched only on that thread, their sockets made on its io_context.
struct connection_pools {
    template <class Stream>
    struct idle_connection {
        std::unique_ptr<Stream> stream;
        clock::time_point idle_since;
        clock::time_point retire_at;  // before the upstream's own idle timeout closes it
    };
    // A connection idle for less than this is taken without checking that
    // the upstream still holds it open (a system call): upstreams close
    // kept-alive connections after seconds of idleness, and one closed
    // sooner is sent again on a new connection (a stale reuse). The cost: an
    // upstream that sends unsolicited bytes within that second (an early
    // 408) has them read as the next response, a protocol failure that the
    // attempt's retry policy handles.
    static constexpr std::chrono::milliseconds fresh_enough{1000};
    // Enough for one connection per concurrent request to an upstream: fewer
    // makes every request above the limit pay a new connection (and a close).
    static constexpr size_t max_idle_per_origin = 256;
    static constexpr std::chrono::seconds max_idle_age{30};
    std::map<std::string, std::deque<idle_connection<tcp::socket>>, std::less<>> idle_tcp;
    std::map<std::string, std::deque<idle_connection<ssl::stream<tcp::socket>>>, std::less<>> idle_tls;

    template <class Stream>
    auto & idle() {
        if constexpr (std::is_same_v<Stream, tcp::socket>) {
            return idle_tcp;
        } else {
            return idle_tls;
        }
    }
};

struct http_client_state {
    explicit http_client_state(io_runtime & r)
        : runtime(r), runtime_pools(std::make_shared<connection_pools>()), tls(ssl::context::tls_client) {
        beast::error_code ec;
        tls.set_default_verify_paths(ec);
        if (ec) {
            tls_error = "cannot load the system certificate store: " + ec.message();
        }
        tls.set_verify_mode(ssl::verify_peer, ec);
        tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                            ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                        ec);
    }
    io_runtime & runtime;
    std::shared_ptr<connection_pools> runtime_pools;  // the runtime thread's
    const uint64_t id = io_home::new_owner_id();       // names this client's pools in an io_home
    ssl::context tls;
    std::string tls_error;
};

namespace {

// How long a connection may wait in the pool after a response whose
// Keep-Alive header announced `timeout=N`: a second less than the upstream's
// own idle timeout (none at all below two seconds), never above max_idle_age.
std::chrono::milliseconds idle_age_for(std::string_view keep_alive) {
    const std::chrono::milliseconds longest = connection_pools::max_idle_age;
    const size_t at = keep_alive.find("timeout=");
    if (at == std::string_view::npos) {
        return longest;
    }
    int64_t seconds = 0;
    size_t i = at + 8;
    if (i >= keep_alive.size() || keep_alive[i] < '0' || keep_alive[i] > '9') {
        return longest;
    }
    for (; i < keep_alive.size() && keep_alive[i] >= '0' && keep_alive[i] <= '9' && seconds < 1'000'000; ++i) {
        seconds = seconds * 10 + (keep_alive[i] - '0');
    }
    return std::clamp<std::chrono::milliseconds>(std::chrono::seconds(seconds) - std::chrono::seconds(1),
                                                 std::chrono::milliseconds(0), longest);
}

bool is_closed(const beast::error_code & ec) {
    return ec == net::error::eof || ec == http::error::end_of_stream || ec == http::error::partial_message ||
           ec == net::error::connection_reset || ec == net::error::broken_pipe ||
           ec == net::error::connection_aborted || ec == ssl::error::stream_truncated;
}

template <class Stream>
class exchange : public std::enable_shared_from_this<exchange<Stream>> {
  public:
    static constexpr bool is_tls = !std::is_same_v<Stream, tcp::socket>;

    exchange(std::shared_ptr<http_client_state> owner, net::io_context & context,
             std::shared_ptr<connection_pools> pools, endpoint_url url, http_request_spec spec, http_callbacks cb)
        : owner_(std::move(owner)),
          context_(context),
          pools_(std::move(pools)),
          url_(std::move(url)),
          origin_(url_.origin()),
          spec_(std::move(spec)),
          cb_(std::move(cb)),
          resolver_(context),
          timer_(context) {}

    void run() {
        if (spec_.limits.total.count() > 0) {
            total_deadline_ = clock::now() + spec_.limits.total;
        }
        if (take_idle()) {
            return send();
        }
        connect_fresh();
    }

  private:
    std::unique_ptr<Stream> make_stream() {
        if constexpr (is_tls) {
            return std::make_unique<Stream>(context_, owner_->tls);
        } else {
            return std::make_unique<Stream>(context_);
        }
    }

    // A kept-alive connection to the same origin that still looks usable.
    bool take_idle() {
        auto & pools = pools_->template idle<Stream>();
        auto it = pools.find(origin_);
        if (it == pools.end()) {
            return false;
        }
        auto & q = it->second;
        while (!q.empty()) {
            auto c = std::move(q.back());
            q.pop_back();
            const auto now = clock::now();
            if (now >= c.retire_at || !c.stream->lowest_layer().is_open()) {
                continue;
            }
            if (now - c.idle_since >= connection_pools::fresh_enough) {
                // readable while idle: the peer closed it (or sent junk)
                pollfd pfd{c.stream->lowest_layer().native_handle(), POLLIN, 0};
                if (::poll(&pfd, 1, 0) != 0) {
                    continue;
                }
            }
            stream_ = std::move(c.stream);
            reused_ = true;
            return true;
        }
        return false;
    }

    void keep_idle() {
        auto & q = pools_->template idle<Stream>()[origin_];
        if (q.size() >= connection_pools::max_idle_per_origin) {
            q.pop_front();
        }
        const auto now = clock::now();
        q.push_back({std::move(stream_), now, now + idle_age_});
    }

    void connect_fresh() {
        beast::error_code ignored;
        if (stream_) {
            stream_->lowest_layer().close(ignored);
        }
        stream_ = make_stream();
        reused_ = false;
        arm(transport_failure::connect_timeout, spec_.limits.connect);
        resolver_.async_resolve(url_.host, url_.port,
                                [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
                                    self->on_resolve(ec, std::move(r));
                                });
    }

    void arm(transport_failure reason, millis limit) {
        auto deadline = clock::time_point::max();
        reason_ = reason;
        if (limit.count() > 0) {
            deadline = clock::now() + limit;
        }
        if (total_deadline_ < deadline) {
            deadline = total_deadline_;
            reason_ = transport_failure::total_timeout;
        }
        if (deadline == clock::time_point::max()) {
            timer_.cancel();
            return;
        }
        timer_.expires_at(deadline);
        timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (ec || self->done_ || self->timer_.expiry() > clock::now()) {
                return;
            }
            self->timed_out_ = self->reason_;
            self->close();
        });
    }

    void close() {
        beast::error_code ignored;
        resolver_.cancel();
        if (stream_) {
            stream_->lowest_layer().close(ignored);
        }
    }

    std::string timeout_message(transport_failure f) const {
        auto ms = [](millis m) { return std::to_string(m.count()) + " ms"; };
        switch (f) {
            case transport_failure::connect_timeout: return "no connection within " + ms(spec_.limits.connect);
            case transport_failure::first_byte_timeout: return "no response within " + ms(spec_.limits.first_byte);
            case transport_failure::idle_timeout: return "the response stalled for " + ms(spec_.limits.idle);
            case transport_failure::total_timeout: return "the attempt took longer than " + ms(spec_.limits.total);
            default: return "timed out";
        }
    }

    void fail(transport_failure f, std::string message) {
        if (timed_out_ != transport_failure::none) {
            f = timed_out_;
            message = timeout_message(f);
        }
        http_outcome o;
        o.failure = f;
        o.message = std::move(message);
        o.status = status_;
        finish(std::move(o));
    }

    void finish(http_outcome && o) {
        if (done_) {
            return;
        }
        done_ = true;
        timer_.cancel();
        const bool reusable = o.failure == transport_failure::none && timed_out_ == transport_failure::none &&
                              parser_ && parser_->is_done() && parser_->keep_alive() && buffer_.size() == 0;
        if (reusable) {
            resolver_.cancel();
            keep_idle();
        } else {
            close();
        }
        if (cb_.on_done) {
            cb_.on_done(std::move(o));
        }
    }

    void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
        if (ec) {
            return fail(transport_failure::resolve, "cannot resolve " + url_.host + ": " + ec.message());
        }
        net::async_connect(stream_->lowest_layer(), results,
                           [self = this->shared_from_this()](beast::error_code ec, const tcp::endpoint &) {
                               self->on_connect(ec);
                           });
    }

    void on_connect(beast::error_code ec) {
        if (ec) {
            return fail(transport_failure::connect, "cannot connect to " + origin_ + ": " + ec.message());
        }
        beast::error_code ignored;
        stream_->lowest_layer().set_option(tcp::no_delay(true), ignored);
        if constexpr (is_tls) {
            if (!owner_->tls_error.empty()) {
                return fail(transport_failure::tls, owner_->tls_error);
            }
            if (!SSL_set_tlsext_host_name(stream_->native_handle(), url_.host.c_str())) {
                return fail(transport_failure::tls, "cannot set the TLS server name");
            }
            stream_->set_verify_callback(ssl::host_name_verification(url_.host));
            stream_->async_handshake(ssl::stream_base::client, [self = this->shared_from_this()](beast::error_code ec) {
                if (ec) {
                    return self->fail(transport_failure::tls, "TLS handshake with " + self->origin_ +
                                                                  " failed: " + ec.message());
                }
                self->send();
            });
        } else {
            send();
        }
    }

    void send() {
        arm(transport_failure::first_byte_timeout, spec_.limits.first_byte);
        const auto verb = http::string_to_verb(spec_.method);
        req_ = {};
        req_.method(verb == http::verb::unknown ? http::verb::post : verb);
        req_.target(spec_.target);
        req_.version(11);
        req_.set(http::field::host, url_.host_header());
        req_.set(http::field::user_agent, "tiergate");
        for (const auto & [name, value] : spec_.headers) {
            req_.set(name, value);
        }
        req_.body() = spec_.body;
        req_.prepare_payload();
        buffer_.clear();
        parser_.emplace();
        parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
        parser_->header_limit(64 * 1024);
        http::async_write(*stream_, req_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
            if (ec) {
                if (self->stale_reuse(ec)) {
                    return self->connect_fresh();
                }
                return self->fail(transport_failure::reset, "sending the request failed: " + ec.message());
            }
            http::async_read_header(*self->stream_, self->buffer_, *self->parser_,
                                    [self](beast::error_code ec, size_t) { self->on_header(ec); });
        });
    }

    // A kept-alive connection the upstream had closed before it saw the
    // request: the request goes again on a new connection.
    bool stale_reuse(const beast::error_code & ec) const {
        return reused_ && timed_out_ == transport_failure::none && (is_closed(ec) || ec == net::error::bad_descriptor);
    }

    void on_header(beast::error_code ec) {
        if (ec) {
            if (stale_reuse(ec)) {
                return connect_fresh();
            }
            if (is_closed(ec)) {
                return fail(transport_failure::reset, "the upstream closed the connection before responding");
            }
            return fail(transport_failure::protocol, "invalid HTTP response: " + ec.message());
        }
        reused_ = false;
        status_ = static_cast<int>(parser_->get().result_int());
        header_map headers;
        for (const auto & field : parser_->get()) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            headers[name] = std::string(field.value());
        }
        if (auto it = headers.find("keep-alive"); it != headers.end()) {
            idle_age_ = idle_age_for(it->second);
        }
        if (cb_.on_head) {
            cb_.on_head(status_, headers);
        }
        if (done_) {
            return;
        }
        if (parser_->is_done()) {
            http_outcome o;
            o.status = status_;
            return finish(std::move(o));
        }
        read_body();
    }

    void read_body() {
        parser_->get().body().data = chunk_;
        parser_->get().body().size = sizeof(chunk_);
        http::async_read_some(*stream_, buffer_, *parser_,
                              [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
    }

    void on_body(beast::error_code ec) {
        if (ec == http::error::need_buffer) {
            ec = {};
        }
        const size_t got = sizeof(chunk_) - parser_->get().body().size;
        if (got > 0 && !done_) {
            arm(transport_failure::idle_timeout, spec_.limits.idle);
            if (cb_.on_body && !cb_.on_body(std::string_view(chunk_, got))) {
                return fail(transport_failure::aborted, "the response was no longer wanted");
            }
        }
        if (done_) {
            return;
        }
        if (ec) {
            if (is_closed(ec)) {
                return fail(transport_failure::reset, "the upstream closed the connection mid-response");
            }
            return fail(transport_failure::protocol, "invalid HTTP response body: " + ec.message());
        }
        if (parser_->is_done()) {
            http_outcome o;
            o.status = status_;
            return finish(std::move(o));
        }
        read_body();
    }

    std::shared_ptr<http_client_state> owner_;
    net::io_context & context_;
    std::shared_ptr<connection_pools> pools_;
    endpoint_url url_;
    const std::string origin_;  // the key of its pool, made once
    http_request_spec spec_;
    http_callbacks cb_;
    tcp::resolver resolver_;
    std::unique_ptr<Stream> stream_;
    bool reused_ = false;
    std::chrono::milliseconds idle_age_ = connection_pools::max_idle_age;
    net::steady_timer timer_;
    clock::time_point total_deadline_ = clock::time_point::max();
    transport_failure reason_ = transport_failure::none;
    transport_failure timed_out_ = transport_failure::none;
    bool done_ = false;
    int status_ = 0;
    http::request<http::string_body> req_;
    beast::flat_buffer buffer_;
    std::optional<http::response_parser<http::buffer_body>> parser_;
    char chunk_[16 * 1024];
};

}  // namespace

http_client::http_client(io_runtime & runtime) : impl_(std::make_shared<http_client_state>(runtime)) {}

http_client::~http_client() = default;

namespace {

void begin_exchange(std::shared_ptr<http_client_state> owner, net::io_context & context,
                    std::shared_ptr<connection_pools> pools, endpoint_url url, http_request_spec request,
                    http_callbacks callbacks) {
    if (url.tls) {
        std::make_shared<exchange<ssl::stream<tcp::socket>>>(std::move(owner), context, std::move(pools),
                                                             std::move(url), std::move(request), std::move(callbacks))
            ->run();
    } else {
        std::make_shared<exchange<tcp::socket>>(std::move(owner), context, std::move(pools), std::move(url),
                                                std::move(request), std::move(callbacks))
            ->run();
    }
}

}  // namespace

void http_client::start(const endpoint_url & url, http_request_spec request, http_callbacks callbacks) {
    // On an I/O thread with a home, the exchange stays on it, with its pools.
    if (io_home * home = io_home::current()) {
        auto pools = home->resource<connection_pools>(impl_->id, [] { return std::make_shared<connection_pools>(); });
        net::post(home->context(), [owner = impl_, &context = home->context(), pools = std::move(pools), url,
                                    request = std::move(request), callbacks = std::move(callbacks)]() mutable {
            begin_exchange(std::move(owner), context, std::move(pools), std::move(url), std::move(request),
                           std::move(callbacks));
        });
        return;
    }
    struct pending {
        endpoint_url url;
        http_request_spec request;
        http_callbacks callbacks;
    };
    auto p = std::make_shared<pending>(pending{url, std::move(request), std::move(callbacks)});
    const bool queued = impl_->runtime.post([owner = impl_, p] {
        begin_exchange(owner, owner->runtime.context(), owner->runtime_pools, std::move(p->url),
                       std::move(p->request), std::move(p->callbacks));
    });
    if (!queued && p->callbacks.on_done) {
        http_outcome o;
        o.failure = transport_failure::aborted;
        o.message = "the server is shutting down";
        p->callbacks.on_done(std::move(o));
    }
}

void http_client::drop_idle() {
    impl_->runtime_pools->idle_tcp.clear();
    impl_->runtime_pools->idle_tls.clear();
}

}  // namespace tiergate::providers
