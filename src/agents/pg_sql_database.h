#pragma once
// sql_query on PostgreSQL: each query in a READ ONLY transaction with a
// statement_timeout, sent as one prepared statement (PostgreSQL refuses a
// second statement in it), fetched through a cursor to the row limit.
// Give the database a role that can only read, as well.

#include <memory>

#include "agents/sql_database.h"

namespace tiergate::agents {

result<std::unique_ptr<sql_database>> open_pg_sql_database(const database_settings & settings);

}  // namespace tiergate::agents
