#include "agents/pg_sql_database.h"

#include "rag/pg_connection.h"

#include <algorithm>
#include <cctype>

namespace tiergate::agents {

namespace {

// SELECT, WITH and VALUES can stand behind a cursor; EXPLAIN and SHOW cannot (their output is short).
bool yields_rows(const std::string & screened) {
    size_t end = 0;
    while (end < screened.size() && std::isalpha(static_cast<unsigned char>(screened[end]))) {
        ++end;
    }
    std::string first = screened.substr(0, end);
    std::transform(first.begin(), first.end(), first.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return first == "select" || first == "with" || first == "values";
}

class pg_sql_database final : public sql_database {
  public:
    pg_sql_database(database_settings s, std::unique_ptr<rag::pg_connection> conn)
        : sql_database(std::move(s)), conn_(std::move(conn)) {}

    result<std::string> query(const std::string & sql) override {
        auto screened = screen(sql);
        if (!screened) {
            return screened.err();
        }
        const std::string text = *screened;
        const int limit = settings_.max_rows;
        const int timeout = settings_.timeout_ms;
        return conn_->run("sql_query", [&](pqxx::connection & c) -> result<std::string> {
            try {
                pqxx::read_transaction tx(c);
                tx.exec0("SET LOCAL statement_timeout = " + std::to_string(timeout));
                tx.exec0("SET LOCAL lock_timeout = " + std::to_string(timeout));
                // A query that yields rows runs behind a cursor, and at most limit + 1 of them are
                // fetched: a huge result is refused without being read. A prepared statement holds
                // exactly one command: stacked statements fail here.
                pqxx::result rows;
                if (yields_rows(text)) {
                    tx.exec_params("DECLARE tiergate_rows NO SCROLL CURSOR FOR " + text);
                    rows = tx.exec("FETCH FORWARD " + std::to_string(limit + 1) + " FROM tiergate_rows");
                } else {
                    rows = tx.exec_params(text);
                }
                if (rows.size() > static_cast<size_t>(limit)) {
                    return error{error_kind::permission,
                                 "the query returns more than " + std::to_string(limit) + " rows; narrow it or aggregate",
                                 "query", "too_many_rows", {}};
                }
                std::vector<std::string> names;
                for (pqxx::row::size_type i = 0; i < rows.columns(); ++i) {
                    names.emplace_back(rows.column_name(i));
                }
                table_writer table(names);
                std::vector<std::string> cells(names.size());
                for (const auto & row : rows) {
                    for (size_t i = 0; i < names.size(); ++i) {
                        const auto & f = row[static_cast<pqxx::row::size_type>(i)];
                        cells[i] = f.is_null() ? std::string("NULL") : f.as<std::string>();
                    }
                    table.add_row(cells);
                }
                return table.finish();
            } catch (const pqxx::sql_error & e) {
                const std::string state = e.sqlstate();
                if (state == "57014") {
                    return error{error_kind::timeout,
                                 "the query ran past its time limit of " + std::to_string(timeout) + " ms", "query",
                                 "query_timeout", {}};
                }
                if (state == "25006" || state.rfind("42501", 0) == 0) {
                    return error{error_kind::permission, "the query does more than read", "query",
                                 "statement_not_allowed", {}};
                }
                if (state == "42601" && std::string(e.what()).find("multiple commands") != std::string::npos) {
                    return error{error_kind::permission,
                                 "one statement per query: a second statement follows the first", "query",
                                 "stacked_statements", {}};
                }
                return error::invalid("the query failed: " + std::string(e.what()).substr(0, 300), "query",
                                      "query_failed");
            }
        });
    }

  private:
    std::unique_ptr<rag::pg_connection> conn_;
};

}  // namespace

result<std::unique_ptr<sql_database>> open_pg_sql_database(const database_settings & settings) {
    auto conn = rag::pg_connection::open(settings.target, "sql_query database");
    if (!conn) {
        return conn.err();
    }
    return std::unique_ptr<sql_database>(new pg_sql_database(settings, std::move(*conn)));
}

}  // namespace tiergate::agents
