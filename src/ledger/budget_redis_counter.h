#pragma once
// Counters in Redis, shared by every gateway replica. reserve and adjust are
// Lua scripts (EVALSHA, loaded at connect; EVAL if Redis lost them), so each
// runs atomically on the server. Counters expire at the end of their window
// (PEXPIREAT). One connection per backend object, used under a mutex; a
// broken connection is re-opened on the next call. Needs one Redis primary
// (the counters of one request are not hash-tagged for Redis Cluster).
#include "ledger/budget_counter.h"

#include <memory>
#include <mutex>
#include <string>

namespace tiergate::ledger {

struct redis_endpoint {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string password;  // empty: no AUTH
    int db = 0;
    int timeout_ms = 1000;
};

// redis://[:password@]host[:port][/db]
result<redis_endpoint> parse_redis_url(const std::string & url);

class redis_counter_backend final : public counter_backend {
  public:
    static result<std::unique_ptr<redis_counter_backend>> connect(const redis_endpoint & endpoint);
    ~redis_counter_backend() override;

    result<reserve_outcome> reserve(const std::vector<counter_charge> & charges, int64_t now_ms) override;
    result<bool> adjust(const std::vector<counter_delta> & deltas, int64_t now_ms) override;
    result<int64_t> value(const std::string & counter, int64_t now_ms) override;

  private:
    struct impl;
    explicit redis_counter_backend(std::unique_ptr<impl> d);
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::ledger
