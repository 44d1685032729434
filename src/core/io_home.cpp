#include "core/io_home.h"

#include <atomic>

namespace tiergate {

namespace {
thread_local io_home * current_home = nullptr;
}

io_home::~io_home() {
    while (!resources_.empty()) {
        resources_.pop_back();
    }
}

io_home * io_home::current() { return current_home; }

uint64_t io_home::new_owner_id() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

io_home::scope::scope(io_home & home) : previous_(current_home) { current_home = &home; }

io_home::scope::~scope() { current_home = previous_; }

}  // namespace tiergate
