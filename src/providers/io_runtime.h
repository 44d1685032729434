#pragma once
// The shared I/O thread of the remote providers: one io_context run by one
// background thread, for calls begun on a thread without an io_home (a call
// begun on a server I/O thread runs on that thread's loop instead). A call's
// handlers all run on one thread, one at a time, so its state needs no locks.
//
// Shutdown has two steps so that nothing the handlers reach is destroyed
// under them: stop() ends the thread (after the handler it is running) and
// refuses new work; discard() then destroys the handlers that never ran, and
// what they own (calls cut by the shutdown), on the caller's thread. The
// destructor does both.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace tiergate::providers {

class io_runtime {
  public:
    io_runtime();
    ~io_runtime();
    io_runtime(const io_runtime &) = delete;
    io_runtime & operator=(const io_runtime &) = delete;

    // For I/O objects made by handlers on the runtime's thread; not after discard().
    boost::asio::io_context & context() { return *ioc_; }

    // Queues `fn` for the I/O thread: false (and `fn` is not kept) once stopped.
    template <class F>
    bool post(F && fn) {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopped_) {
            return false;
        }
        boost::asio::post(*ioc_, std::forward<F>(fn));
        return true;
    }

    // Idempotent. Called from any thread but the runtime's own.
    void stop();
    // Idempotent; after stop().
    void discard();

  private:
    std::mutex mu_;
    bool stopped_ = false;
    std::optional<boost::asio::io_context> ioc_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::thread thread_;
};

}  // namespace tiergate::providers
