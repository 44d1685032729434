#pragma once
#include "ledger/store.h"
#include "ledger/usage_record.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace tiergate::ledger::fixtures {

// A request answered by the SLM after one attempt, or escalated to the frontier.
usage_record make_record(const std::string & id, int64_t time_ms, bool escalated = false);
std::string unique_suffix();
std::string env_or_empty(const char * name);

// An in-memory store whose writes can be held back or made to fail.
class fake_store final : public store {
  public:
    std::string_view backend() const override { return "fake"; }
    result<int> schema_version() override { return 1; }
    result<size_t> write(const std::vector<usage_record> & batch) override;
    result<std::vector<usage_record>> read(int64_t from_ms, int64_t to_ms, bool with_attempts) override;
    result<int64_t> scan(int64_t from_ms, int64_t to_ms,
                         const std::function<void(const usage_record &)> & visit) override;
    result<int64_t> count() override;
    // The writer's tests need neither: both answer an error.
    result<std::vector<usage_totals>> totals(const totals_query &) override;
    result<std::vector<usage_record>> newest(const newest_query &) override;

    void hold(bool on);               // while held, write() waits
    std::atomic<int> fail_next{0};    // this many writes fail first
    std::atomic<int> writes{0};
    std::vector<usage_record> records() const;

  private:
    mutable std::mutex mutex_;
    std::condition_variable released_;
    bool held_ = false;
    std::vector<usage_record> rows_;
};

}  // namespace tiergate::ledger::fixtures
