#pragma once
// The event loop a thread runs, for work that should stay on that thread.
// Each of the HTTP server's I/O threads runs its own io_context and makes it
// the thread's home while it runs it; work a request begins there (its
// upstream exchange, a retry's timer) then runs on the same thread with that
// thread's own resources (its pooled upstream connections): a proxied
// request never crosses threads on its way out and back. Threads without a
// home (inference, agents, tests) use a shared I/O thread instead.
//
// Resources belong to the home and are destroyed, newest first, when the
// home is (on its thread, while its io_context still exists).

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace tiergate {

class io_home {
  public:
    explicit io_home(boost::asio::io_context & context) : context_(context) {}
    ~io_home();
    io_home(const io_home &) = delete;
    io_home & operator=(const io_home &) = delete;

    boost::asio::io_context & context() { return context_; }

    // The calling thread's home, or null.
    static io_home * current();

    // The resource `owner` keeps in this home, made by `make()` (a
    // std::shared_ptr<T>) on first use. On the home's thread only. Kept
    // until the home ends, even when its owner ends first (a process has one
    // HTTP client; its pools live as long as the loops).
    template <class T, class Make>
    std::shared_ptr<T> resource(uint64_t owner, Make && make) {
        for (auto & [id, r] : resources_) {
            if (id == owner) {
                return std::static_pointer_cast<T>(r);
            }
        }
        std::shared_ptr<T> made = make();
        resources_.emplace_back(owner, made);
        return made;
    }

    // A number no other owner of resources has.
    static uint64_t new_owner_id();

    // While a scope lives, `home` is the calling thread's home.
    class scope {
      public:
        explicit scope(io_home & home);
        ~scope();
        scope(const scope &) = delete;
        scope & operator=(const scope &) = delete;

      private:
        io_home * previous_;
    };

  private:
    boost::asio::io_context & context_;
    std::vector<std::pair<uint64_t, std::shared_ptr<void>>> resources_;
};

}  // namespace tiergate
