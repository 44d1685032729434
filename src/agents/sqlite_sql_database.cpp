#include "agents/sqlite_sql_database.h"

#include "rag/sqlite_statement.h"

#include <chrono>
#include <filesystem>

namespace tiergate::agents {

namespace {

using clock_type = std::chrono::steady_clock;

struct connection {
    sqlite3 * db = nullptr;
    ~connection() { sqlite3_close_v2(db); }
};

// Reading only: no writes, no ATTACH, no PRAGMA, no transactions.
int authorize(void *, int action, const char *, const char *, const char *, const char *) {
    switch (action) {
        case SQLITE_SELECT:
        case SQLITE_READ:
        case SQLITE_FUNCTION:
        case SQLITE_RECURSIVE:
            return SQLITE_OK;
        default:
            return SQLITE_DENY;
    }
}

int past_deadline(void * deadline) {
    return clock_type::now() > *static_cast<clock_type::time_point *>(deadline) ? 1 : 0;
}

error refused(const std::string & message, const char * code) {
    return error{error_kind::permission, message, "query", code, {}};
}

class sqlite_sql_database final : public sql_database {
  public:
    explicit sqlite_sql_database(database_settings s) : sql_database(std::move(s)) {}

    result<std::string> query(const std::string & sql) override {
        auto screened = screen(sql);
        if (!screened) {
            return screened.err();
        }
        connection c;
        const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
        if (sqlite3_open_v2(settings_.target.c_str(), &c.db, flags, nullptr) != SQLITE_OK) {
            return error{error_kind::unavailable,
                         "database '" + settings_.name + "' cannot be opened: " + std::string(sqlite3_errmsg(c.db)), "",
                         "database_unavailable", {}};
        }
        sqlite3_exec(c.db, "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
        sqlite3_limit(c.db, SQLITE_LIMIT_ATTACHED, 0);
        sqlite3_set_authorizer(c.db, authorize, nullptr);
        auto deadline = clock_type::now() + std::chrono::milliseconds(settings_.timeout_ms);
        sqlite3_progress_handler(c.db, 1000, past_deadline, &deadline);
        rag::statement st;
        const char * tail = nullptr;
        const std::string & text = *screened;
        if (sqlite3_prepare_v2(c.db, text.c_str(), static_cast<int>(text.size()), &st.s, &tail) != SQLITE_OK) {
            const std::string why = sqlite3_errmsg(c.db);
            if (why.find("not authorized") != std::string::npos) {
                return refused("the query does more than read", "statement_not_allowed");
            }
            return error::invalid("the query does not compile: " + why, "query", "query_failed");
        }
        if (st.s == nullptr) {
            return error::invalid("the query is empty", "query", "invalid_query");
        }
        for (const char * p = tail; p != nullptr && *p != '\0'; ++p) {
            if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') {
                return refused("one statement per query: a second statement follows the first", "stacked_statements");
            }
        }
        if (!sqlite3_stmt_readonly(st.s)) {
            return refused("the query does more than read", "statement_not_allowed");
        }
        const int columns = sqlite3_column_count(st.s);
        std::vector<std::string> names;
        for (int i = 0; i < columns; ++i) {
            const char * n = sqlite3_column_name(st.s, i);
            names.emplace_back(n ? n : "");
        }
        table_writer table(names);
        std::vector<std::string> cells(static_cast<size_t>(columns));
        for (;;) {
            const int rc = sqlite3_step(st.s);
            if (rc == SQLITE_DONE) {
                break;
            }
            if (rc == SQLITE_INTERRUPT) {
                return error{error_kind::timeout,
                             "the query ran past its time limit of " + std::to_string(settings_.timeout_ms) + " ms",
                             "query", "query_timeout", {}};
            }
            if (rc != SQLITE_ROW) {
                return error::invalid("the query failed: " + std::string(sqlite3_errmsg(c.db)), "query",
                                      "query_failed");
            }
            if (table.rows() >= static_cast<size_t>(settings_.max_rows)) {
                return refused("the query returns more than " + std::to_string(settings_.max_rows) +
                                   " rows; narrow it or aggregate",
                               "too_many_rows");
            }
            for (int i = 0; i < columns; ++i) {
                const auto * v = reinterpret_cast<const char *>(sqlite3_column_text(st.s, i));
                cells[static_cast<size_t>(i)] =
                    v ? std::string(v, static_cast<size_t>(sqlite3_column_bytes(st.s, i))) : std::string("NULL");
            }
            table.add_row(cells);
        }
        return table.finish();
    }
};

}  // namespace

result<std::unique_ptr<sql_database>> open_sqlite_sql_database(const database_settings & settings) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(settings.target, ec)) {
        return error::invalid("database '" + settings.name + "': no SQLite file at " + settings.target, "url",
                              "database_unavailable");
    }
    return std::unique_ptr<sql_database>(new sqlite_sql_database(settings));
}

}  // namespace tiergate::agents
