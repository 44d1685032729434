#pragma once
// An in-process HTTP upstream on 127.0.0.1 whose every answer is scripted,
// to inject faults: error statuses, refused connections, resets, stalls,
// truncated or invalid streams. One request per connection.

#include <utility>  // before Boost.Asio: its awaitable.hpp needs std::exchange

#include <boost/asio.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tiergate::testing {

struct upstream_request {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
};

class fault_upstream;

// Writes the answer to request number `index` (0-based) on `socket`.
using upstream_script =
    std::function<void(boost::asio::ip::tcp::socket & socket, const upstream_request & request, int index,
                       fault_upstream & server)>;

class fault_upstream {
  public:
    explicit fault_upstream(upstream_script script);
    ~fault_upstream();

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    uint16_t port() const { return port_; }
    int requests() const { return count_.load(); }
    std::vector<upstream_request> seen();
    // Sleeps up to `d`, less when the server stops.
    void pause(std::chrono::milliseconds d);

    // Building blocks for scripts.
    static void write(boost::asio::ip::tcp::socket & s, const std::string & bytes);
    static void respond(boost::asio::ip::tcp::socket & s, int status, const std::string & body,
                        const std::string & extra_headers = "", const std::string & content_type = "application/json");
    static void start_sse(boost::asio::ip::tcp::socket & s);
    static void chunk(boost::asio::ip::tcp::socket & s, const std::string & bytes);
    static void end_chunks(boost::asio::ip::tcp::socket & s);
    // The connection will end with a TCP reset instead of an orderly FIN
    // (the script should return right after).
    static void reset(boost::asio::ip::tcp::socket & s);

  private:
    void accept_loop();
    void serve(boost::asio::ip::tcp::socket socket);

    upstream_script script_;
    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    uint16_t port_ = 0;
    std::atomic<int> count_{0};
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<upstream_request> seen_;
    std::vector<int> open_fds_;
    std::vector<std::thread> workers_;
    std::thread acceptor_thread_;
};

// A port on 127.0.0.1 where nothing listens (connections are refused).
uint16_t closed_port();

}  // namespace tiergate::testing
