// sql_query's database: reading is allowed, everything else is refused, and
// the row and time limits hold; on SQLite, and on PostgreSQL when a server
// is up (TIERGATE_TEST_PG_URL).
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <pqxx/pqxx>

#include "agents/sql_database.h"

namespace tiergate::agents {
namespace {

struct backend {
    std::unique_ptr<sql_database> db;
    std::string skip;
    std::function<int64_t()> customers;  // rows in customers, read past the tool
    std::function<void()> cleanup;
};

backend make_sqlite() {
    backend b;
    auto path = std::filesystem::temp_directory_path() / ("tiergate-sql-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    sqlite3 * raw = nullptr;
    sqlite3_open(path.c_str(), &raw);
    sqlite3_exec(raw,
                 "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT);"
                 "INSERT INTO customers (name, city) VALUES ('Ada','London'),('Grace','New York'),('Linus','Helsinki');"
                 "CREATE TABLE big (n INTEGER);"
                 "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 50) INSERT INTO big SELECT x FROM c;",
                 nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    database_settings s;
    s.name = "warehouse";
    s.target = path.string();
    s.max_rows = 10;
    s.timeout_ms = 200;
    auto db = sql_database::open(s);
    EXPECT_TRUE(db) << (db ? "" : db.err().message);
    b.db = std::move(*db);
    b.customers = [path] {
        sqlite3 * c = nullptr;
        sqlite3_open(path.c_str(), &c);
        sqlite3_stmt * st = nullptr;
        int64_t n = -1;
        if (sqlite3_prepare_v2(c, "SELECT count(*) FROM customers", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            n = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
        sqlite3_close(c);
        return n;
    };
    b.cleanup = [path] { std::filesystem::remove(path); };
    return b;
}

backend make_pg() {
    backend b;
    const char * url = std::getenv("TIERGATE_TEST_PG_URL");
    if (url == nullptr || *url == '\0') {
        b.skip = "TIERGATE_TEST_PG_URL is not set";
        return b;
    }
    const std::string schema = "agents_sql_" + std::to_string(::getpid());
    try {
        pqxx::connection c(url);
        pqxx::work tx(c);
        tx.exec0("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
        tx.exec0("CREATE TABLE " + schema + ".customers (id serial PRIMARY KEY, name text, city text)");
        tx.exec0("INSERT INTO " + schema + ".customers (name, city) VALUES ('Ada','London'),('Grace','New York'),('Linus','Helsinki')");
        tx.exec0("CREATE TABLE " + schema + ".big AS SELECT generate_series(1, 50) AS n");
        tx.commit();
    } catch (const std::exception & e) {
        b.skip = e.what();
        return b;
    }
    database_settings s;
    s.name = "warehouse";
    s.postgresql = true;
    std::string u = url;
    s.target = u + (u.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
    s.max_rows = 10;
    s.timeout_ms = 200;
    auto db = sql_database::open(s);
    if (!db) {
        b.skip = db.err().message;
        return b;
    }
    b.db = std::move(*db);
    const std::string server = url;
    b.customers = [server, schema] {
        pqxx::connection c(server);
        pqxx::work tx(c);
        return tx.exec1("SELECT count(*) FROM " + schema + ".customers")[0].as<int64_t>();
    };
    b.cleanup = [server, schema] {
        try {
            pqxx::connection c(server);
            pqxx::work tx(c);
            tx.exec0("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            tx.commit();
        } catch (...) {
        }
    };
    return b;
}

class sql_database_test : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        b_ = GetParam() == "sqlite" ? make_sqlite() : make_pg();
        if (!b_.skip.empty()) {
            GTEST_SKIP() << b_.skip;
        }
    }
    void TearDown() override {
        b_.db.reset();
        if (b_.cleanup) {
            b_.cleanup();
        }
    }
    backend b_;
};

TEST_P(sql_database_test, a_select_comes_back_as_a_table) {
    auto r = b_.db->query("SELECT name, city FROM customers ORDER BY id;");
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_EQ(*r,
              "| name | city |\n| --- | --- |\n| Ada | London |\n| Grace | New York |\n| Linus | Helsinki |\n(3 rows)");
    auto cte = b_.db->query("  with x as (select count(*) as n from customers) select n from x");
    ASSERT_TRUE(cte) << cte.err().message;
    EXPECT_NE(cte->find("| 3 |"), std::string::npos);
}

TEST_P(sql_database_test, writes_are_refused_and_change_nothing) {
    for (const char * sql : {"DELETE FROM customers", "UPDATE customers SET name = 'x'", "DROP TABLE customers",
                             "INSERT INTO customers (name) VALUES ('Eve')", "ATTACH DATABASE '/tmp/x.db' AS x",
                             "PRAGMA writable_schema = 1", "BEGIN"}) {
        auto r = b_.db->query(sql);
        ASSERT_FALSE(r) << sql;
        EXPECT_EQ(r.err().code, "statement_not_allowed") << sql;
    }
    // a write hidden behind an allowed first word
    auto hidden = b_.db->query("WITH gone AS (DELETE FROM customers RETURNING id) SELECT count(*) FROM gone");
    ASSERT_FALSE(hidden);
    EXPECT_EQ(b_.customers(), 3);
}

TEST_P(sql_database_test, a_stacked_statement_is_refused) {
    auto r = b_.db->query("SELECT 1; DELETE FROM customers");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, "stacked_statements") << r.err().message;
    EXPECT_EQ(b_.customers(), 3);
}

TEST_P(sql_database_test, more_rows_than_the_limit_are_refused) {
    auto r = b_.db->query("SELECT n FROM big");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, "too_many_rows");
    EXPECT_NE(r.err().message.find("more than 10 rows"), std::string::npos);
    EXPECT_TRUE(b_.db->query("SELECT n FROM big ORDER BY n LIMIT 10"));
}

TEST_P(sql_database_test, a_huge_result_is_refused_without_being_read) {
    // fifty million rows: refused after the first rows over the limit, not after reading them all
    const char * huge = GetParam() == "sqlite"
                            ? "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 50000000) SELECT x FROM c"
                            : "SELECT generate_series(1, 50000000) AS n";
    const auto start = std::chrono::steady_clock::now();
    auto r = b_.db->query(huge);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, "too_many_rows") << r.err().message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_P(sql_database_test, a_long_query_stops_at_the_time_limit) {
    const char * slow = GetParam() == "sqlite"
                            ? "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"
                            : "SELECT pg_sleep(5)";
    const auto start = std::chrono::steady_clock::now();
    auto r = b_.db->query(slow);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, "query_timeout") << r.err().message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_P(sql_database_test, bad_text_is_refused_before_it_reaches_the_database) {
    EXPECT_EQ(b_.db->query("").err().code, "invalid_query");
    EXPECT_EQ(b_.db->query(" ;; ").err().code, "invalid_query");
    EXPECT_EQ(b_.db->query("SELECT '\xff'").err().code, "invalid_query");
    EXPECT_EQ(b_.db->query(std::string("SELECT 1\0", 9)).err().code, "invalid_query");
    EXPECT_EQ(b_.db->query("SELECT * FROM nowhere").err().code, "query_failed");
    EXPECT_EQ(b_.db->query("SELECT " + std::string(20000, '1')).err().code, "query_too_long");
}

TEST_P(sql_database_test, cells_are_escaped_for_the_table) {
    auto r = b_.db->query("SELECT 'a|b' AS x, 'line1\nline2' AS y");
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_NE(r->find("a\\|b"), std::string::npos);
    EXPECT_NE(r->find("line1 line2"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(backends, sql_database_test, ::testing::Values("sqlite", "postgresql"),
                         [](const auto & info) { return info.param; });

TEST(sql_database, a_missing_sqlite_file_is_an_error_at_startup) {
    database_settings s;
    s.name = "warehouse";
    s.target = "/nonexistent/warehouse.db";
    auto db = sql_database::open(s);
    ASSERT_FALSE(db);
    EXPECT_NE(db.err().message.find("no SQLite file"), std::string::npos);
}

}  // namespace
}  // namespace tiergate::agents
