#include "rag/pg_connection.h"

namespace tiergate::rag {

result<std::unique_ptr<pg_connection>> pg_connection::open(const std::string & url, const char * what) {
    std::unique_ptr<pg_connection> c(new pg_connection(url, what));
    try {
        c->conn_ = connect(url);
    } catch (const std::exception & e) {
        return error{error_kind::invalid_request, std::string("cannot connect to the PostgreSQL ") + what + ": " + e.what(),
                     "store", "rag_store_open_failed", {}};
    }
    return c;
}

std::unique_ptr<pqxx::connection> pg_connection::connect(const std::string & url) {
    auto c = std::make_unique<pqxx::connection>(url);
    pqxx::nontransaction tx(*c);
    tx.exec0("SET client_min_messages TO warning");
    return c;
}

error pg_connection::failure(const std::string & what, const std::exception & e) const {
    return error{error_kind::internal, std::string(what_) + " (postgresql): " + what + ": " + e.what(), "",
                 "rag_store_failed", {}};
}

result<bool> pg_connection::check_text(std::initializer_list<std::string_view> texts, const char * field) {
    for (std::string_view t : texts) {
        if (t.find('\0') != std::string_view::npos) {
            return error::invalid(std::string(field) + " holds a NUL character, which the store cannot keep", field,
                                  "invalid_text");
        }
    }
    return true;
}

}  // namespace tiergate::rag
