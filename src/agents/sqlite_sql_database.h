#pragma once
// sql_query on a SQLite file: opened read-only with query_only set, an
// authorizer that allows reading and nothing else, one statement per query
// (a second one after the first is refused), and a progress handler that
// stops a query at its time limit.

#include <memory>

#include "agents/sql_database.h"

namespace tiergate::agents {

result<std::unique_ptr<sql_database>> open_sqlite_sql_database(const database_settings & settings);

}  // namespace tiergate::agents
