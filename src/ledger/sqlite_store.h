#pragma once
// The embedded ledger store: one SQLite file in WAL mode with
// synchronous=NORMAL (a committed batch survives a crash of the process; a
// power loss may lose the last commits).
#include "ledger/store.h"

#include <memory>
#include <string>

namespace tiergate::ledger {

class sqlite_store final : public store {
  public:
    static result<std::unique_ptr<sqlite_store>> open(const std::string & path);
    ~sqlite_store() override;

    std::string_view backend() const override { return "sqlite"; }
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
    explicit sqlite_store(std::unique_ptr<impl> d);
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::ledger
