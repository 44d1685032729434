#pragma once
// The database the sql_query tool reads: a SQLite file opened read-only, or
// PostgreSQL in a READ ONLY transaction. A query is refused unless it is one
// statement of an allowed kind (its first word: select, with, ...) that
// reads only; it is stopped past the time limit, and refused when it returns
// more than the row limit. The rows come back as a Markdown table.

#include <memory>
#include <string>

#include "agents/agent_settings.h"
#include "core/error.h"

namespace tiergate::agents {

class sql_database {
  public:
    static result<std::unique_ptr<sql_database>> open(const database_settings & settings);
    virtual ~sql_database() = default;

    // The rows as a table, or an error naming what was refused.
    virtual result<std::string> query(const std::string & sql) = 0;

    const database_settings & settings() const { return settings_; }

  protected:
    explicit sql_database(database_settings settings) : settings_(std::move(settings)) {}
    // The checks both backends apply before running anything: not empty,
    // valid UTF-8, no NUL, the first word allowed. Returns the statement
    // without trailing semicolons and spaces.
    result<std::string> screen(const std::string & sql) const;

    database_settings settings_;
};

// Rows as a Markdown table; cells cut at 200 bytes, '|' and newlines escaped.
class table_writer {
  public:
    explicit table_writer(std::vector<std::string> columns);
    void add_row(const std::vector<std::string> & cells);
    std::string finish() const;
    size_t rows() const { return rows_; }

  private:
    std::string out_;
    size_t rows_ = 0;
};

}  // namespace tiergate::agents
