#pragma once
// A prepared SQLite statement, finalized on scope exit. Header-only: the
// modules that use it link SQLite themselves.

#include <sqlite3.h>

namespace tiergate {

class sqlite_statement {
  public:
    sqlite_statement(sqlite3 * db, const char * sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
    ~sqlite_statement() { sqlite3_finalize(stmt_); }
    sqlite_statement(const sqlite_statement &) = delete;
    sqlite_statement & operator=(const sqlite_statement &) = delete;
    bool ok() const { return rc_ == SQLITE_OK; }
    sqlite3_stmt * get() const { return stmt_; }

  private:
    sqlite3_stmt * stmt_ = nullptr;
    int rc_ = SQLITE_ERROR;
};

}  // namespace tiergate
