#pragma once
// The ledger schema as ordered migrations. Each store keeps a schema_version
// table and applies, in order and each in its own transaction, the migrations
// above its current version when it opens; opening again applies nothing.
#include <string_view>
#include <vector>

namespace tiergate::ledger {

enum class sql_dialect { sqlite, postgresql };

struct migration {
    int version;
    std::string_view name;
    std::string_view sqlite_sql;      // may hold several statements
    std::string_view postgresql_sql;  // may hold several statements

    std::string_view sql(sql_dialect d) const { return d == sql_dialect::sqlite ? sqlite_sql : postgresql_sql; }
};

const std::vector<migration> & ledger_migrations();
int latest_schema_version();

}  // namespace tiergate::ledger
