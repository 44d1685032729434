#include "providers/io_runtime.h"

namespace tiergate::providers {

io_runtime::io_runtime() {
    ioc_.emplace();
    work_.emplace(boost::asio::make_work_guard(*ioc_));
    thread_ = std::thread([this] { ioc_->run(); });
}

io_runtime::~io_runtime() {
    stop();
    discard();
}

void io_runtime::stop() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopped_) {
            return;
        }
        stopped_ = true;
    }
    work_.reset();
    ioc_->stop();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void io_runtime::discard() {
    ioc_.reset();  // the queued handlers are destroyed here, without running
}

}  // namespace tiergate::providers
