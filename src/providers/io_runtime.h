#pragma once
// The I/O thread of the remote providers: one io_context run by one
// background thread. Every handler of the remote providers runs on it, one at
// a time, so their per-call state needs no locks.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <thread>

namespace tiergate::providers {

class io_runtime {
  public:
    io_runtime();
    ~io_runtime();
    io_runtime(const io_runtime &) = delete;
    io_runtime & operator=(const io_runtime &) = delete;

    boost::asio::io_context & context() { return ioc_; }

  private:
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::thread thread_;
};

}  // namespace tiergate::providers
