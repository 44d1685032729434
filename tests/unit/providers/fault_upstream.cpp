#include "fault_upstream.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>

namespace tiergate::testing {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

fault_upstream::fault_upstream(upstream_script script)
    : script_(std::move(script)), acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    acceptor_thread_ = std::thread([this] { accept_loop(); });
}

fault_upstream::~fault_upstream() {
    stopping_ = true;
    cv_.notify_all();
    boost::system::error_code ignored;
    {
        // wakes the blocking accept
        tcp::socket poke(ioc_);
        poke.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ignored);
    }
    acceptor_thread_.join();
    {
        std::lock_guard lock(mutex_);
        for (int fd : open_fds_) {
            ::shutdown(fd, SHUT_RDWR);
        }
    }
    for (auto & t : workers_) {
        t.join();
    }
}

void fault_upstream::accept_loop() {
    for (int i = 0; i < 10'000 && !stopping_; ++i) {
        tcp::socket socket(ioc_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stopping_) {
            break;
        }
        std::lock_guard lock(mutex_);
        open_fds_.push_back(socket.native_handle());
        workers_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
    }
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

void fault_upstream::serve(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> msg;
    boost::system::error_code ec;
    http::read(socket, buffer, msg, ec);
    if (ec) {
        return;
    }
    upstream_request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto & f : msg) {
        std::string name(f.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        req.headers[name] = std::string(f.value());
    }
    req.body = msg.body();
    int index = 0;
    {
        std::lock_guard lock(mutex_);
        seen_.push_back(req);
        index = count_++;
    }
    script_(socket, req, index, *this);
    std::lock_guard lock(mutex_);
    open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), socket.native_handle()), open_fds_.end());
    socket.close(ec);  // with linger 0 set by reset(): a TCP reset
}

std::vector<upstream_request> fault_upstream::seen() {
    std::lock_guard lock(mutex_);
    return seen_;
}

void fault_upstream::pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, d, [this] { return stopping_.load(); });
}

void fault_upstream::write(tcp::socket & s, const std::string & bytes) {
    boost::system::error_code ignored;
    net::write(s, net::buffer(bytes), ignored);
}

void fault_upstream::respond(tcp::socket & s, int status, const std::string & body, const std::string & extra_headers,
                             const std::string & content_type) {
    write(s, "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
                 "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" + extra_headers +
                 "\r\n" + body);
}

void fault_upstream::start_sse(tcp::socket & s) {
    write(s,
          "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
          "Connection: close\r\n\r\n");
}

void fault_upstream::chunk(tcp::socket & s, const std::string & bytes) {
    char size[32];
    snprintf(size, sizeof(size), "%zx\r\n", bytes.size());
    write(s, size + bytes + "\r\n");
}

void fault_upstream::end_chunks(tcp::socket & s) { write(s, "0\r\n\r\n"); }

void fault_upstream::reset(tcp::socket & s) {
    boost::system::error_code ignored;
    s.set_option(net::socket_base::linger(true, 0), ignored);
}

uint16_t closed_port() {
    net::io_context ioc;
    tcp::acceptor a(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    const uint16_t port = a.local_endpoint().port();
    a.close();
    return port;
}

}  // namespace tiergate::testing
