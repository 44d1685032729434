#pragma once
// One PostgreSQL connection of the retrieval stores, behind a mutex: opened
// again when it was lost, every libpqxx exception turned into an error
// naming what failed (never the URL, which may hold a password). Text that
// PostgreSQL cannot hold (a NUL character) is refused before it is sent.

#include "core/error.h"

#include <pqxx/pqxx>

#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace tiergate::rag {

class pg_connection {
  public:
    static result<std::unique_ptr<pg_connection>> open(const std::string & url, const char * what);

    // Runs `f(connection)` under the lock; a connection found broken is
    // opened again first, and a call that failed on a broken connection
    // before it committed is run once more on a new one, unless `retry` is
    // false (a call that has already handed rows to a caller's visitor).
    template <typename F>
    auto run(const std::string & what, F && f, bool retry = true) -> decltype(f(std::declval<pqxx::connection &>())) {
        std::lock_guard lock(mu_);
        for (int attempt = 0;; ++attempt) {
            try {
                if (!conn_ || !conn_->is_open()) {
                    conn_ = connect(url_);
                }
                return f(*conn_);
            } catch (const pqxx::in_doubt_error & e) {
                return failure(what, e);
            } catch (const pqxx::broken_connection & e) {
                conn_.reset();
                if (attempt > 0 || !retry) {
                    return failure(what, e);
                }
            } catch (const std::exception & e) {
                return failure(what, e);
            }
        }
    }

    // An error when any of the texts holds a NUL character.
    static result<bool> check_text(std::initializer_list<std::string_view> texts, const char * field);

  private:
    pg_connection(std::string url, const char * what) : url_(std::move(url)), what_(what) {}
    error failure(const std::string & what, const std::exception & e) const;
    // A new connection that keeps PostgreSQL's notices (stop words left out
    // of a query, ...) to itself; throws as libpqxx does.
    static std::unique_ptr<pqxx::connection> connect(const std::string & url);

    std::string url_;
    const char * what_;
    std::unique_ptr<pqxx::connection> conn_;
    std::mutex mu_;
};

}  // namespace tiergate::rag
