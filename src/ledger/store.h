#pragma once
// Where usage records are kept. One store object is used by one thread at a
// time (the ledger writer owns its own; a report opens another).
#include "core/error.h"
#include "ledger/usage_query.h"
#include "ledger/usage_record.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::ledger {

class store {
  public:
    virtual ~store() = default;

    virtual std::string_view backend() const = 0;  // "sqlite" | "postgresql"
    // The highest migration applied (migrations run when the store opens).
    virtual result<int> schema_version() = 0;
    // Writes the batch in one transaction: all records and their attempts, or
    // nothing. A request id already stored is skipped, so a retried batch is safe.
    // Returns the number of records in the batch.
    virtual result<size_t> write(const std::vector<usage_record> & batch) = 0;
    // Records with from_ms <= time_ms < to_ms, oldest first.
    virtual result<std::vector<usage_record>> read(int64_t from_ms, int64_t to_ms, bool with_attempts) = 0;
    // Streams the records with from_ms <= time_ms < to_ms, oldest first, without
    // their attempts, holding only a bounded number in memory; returns how many.
    virtual result<int64_t> scan(int64_t from_ms, int64_t to_ms,
                                 const std::function<void(const usage_record &)> & visit) = 0;
    virtual result<int64_t> count() = 0;
    // Sums per bucket and group, in the database (ledger/usage_query.h),
    // ordered by bucket then group.
    virtual result<std::vector<usage_totals>> totals(const totals_query & q) = 0;
    // One page of records, newest first, without their attempts (attempt_count set).
    virtual result<std::vector<usage_record>> newest(const newest_query & q) = 0;
};

// Opens a store by URL and applies pending migrations:
//   postgresql://user@host:port/db (or postgres://)  -> PostgreSQL
//   sqlite:///abs/path.db, sqlite:rel/path.db, a plain path, or :memory: -> SQLite (WAL)
result<std::unique_ptr<store>> open_store(const std::string & url);

}  // namespace tiergate::ledger
