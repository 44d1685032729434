#include "providers/io_runtime.h"

namespace tiergate::providers {

io_runtime::io_runtime() : work_(boost::asio::make_work_guard(ioc_)) {
    thread_ = std::thread([this] { ioc_.run(); });
}

io_runtime::~io_runtime() {
    work_.reset();
    ioc_.stop();
    if (thread_.joinable()) {
        thread_.join();
    }
}

}  // namespace tiergate::providers
