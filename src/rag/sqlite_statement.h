#pragma once
// The small SQLite helpers the retrieval store and the file store share: a
// statement that finalizes itself, text binding and reading, and an error
// naming what failed.

#include "core/error.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <string>

namespace tiergate::rag {

struct statement {
    sqlite3_stmt * s = nullptr;
    statement() = default;
    statement(const statement &) = delete;
    statement & operator=(const statement &) = delete;
    ~statement() { sqlite3_finalize(s); }
};

inline error sqlite_error(sqlite3 * db, const std::string & what) {
    return error{error_kind::internal,
                 "retrieval store (sqlite): " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"), "",
                 "rag_store_failed", {}};
}

inline void bind_text(sqlite3_stmt * s, int i, const std::string & v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

inline std::string column_text(sqlite3_stmt * s, int i) {
    const auto * p = reinterpret_cast<const char *>(sqlite3_column_text(s, i));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

inline nlohmann::json column_json(sqlite3_stmt * s, int i) {
    nlohmann::json j = nlohmann::json::parse(column_text(s, i), nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}

}  // namespace tiergate::rag
