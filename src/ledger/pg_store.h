#pragma once
// The shared ledger store for several gateway replicas: PostgreSQL via libpqxx.
// Migrations run under a transaction-scoped advisory lock, so replicas that
// start together apply each migration once.
#include "ledger/store.h"

#include <memory>
#include <string>

namespace tiergate::ledger {

class pg_store final : public store {
  public:
    static result<std::unique_ptr<pg_store>> open(const std::string & url);
    ~pg_store() override;

    std::string_view backend() const override { return "postgresql"; }
    result<int> schema_version() override;
    result<size_t> write(const std::vector<usage_record> & batch) override;
    result<std::vector<usage_record>> read(int64_t from_ms, int64_t to_ms, bool with_attempts) override;
    result<int64_t> scan(int64_t from_ms, int64_t to_ms,
                         const std::function<void(const usage_record &)> & visit) override;
    result<int64_t> count() override;
    result<std::vector<usage_totals>> totals(const totals_query & q) override;
    result<std::vector<usage_record>> newest(const newest_query & q) override;

  private:
    struct impl;
    explicit pg_store(std::unique_ptr<impl> d);
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::ledger
