#include "agents/sql_database.h"

#include <algorithm>
#include <cctype>

#include "agents/pg_sql_database.h"
#include "agents/sqlite_sql_database.h"
#include "core/utf8.h"

namespace tiergate::agents {

namespace {

std::string cell_text(const std::string & value) {
    std::string out;
    const size_t limit = 200;
    for (size_t i = 0; i < value.size() && i < limit; ++i) {
        const char c = value[i];
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    if (value.size() > limit) {
        out.resize(complete_utf8_prefix(out));
        out += "…";
    }
    return out;
}

}  // namespace

table_writer::table_writer(std::vector<std::string> columns) {
    out_ = "|";
    std::string rule = "|";
    for (const auto & c : columns) {
        out_ += " " + cell_text(c) + " |";
        rule += " --- |";
    }
    out_ += "\n" + rule + "\n";
}

void table_writer::add_row(const std::vector<std::string> & cells) {
    out_ += "|";
    for (const auto & c : cells) {
        out_ += " " + cell_text(c) + " |";
    }
    out_ += "\n";
    ++rows_;
}

std::string table_writer::finish() const {
    return out_ + "(" + std::to_string(rows_) + (rows_ == 1 ? " row)" : " rows)");
}

result<std::unique_ptr<sql_database>> sql_database::open(const database_settings & settings) {
    if (settings.postgresql) {
        return open_pg_sql_database(settings);
    }
    return open_sqlite_sql_database(settings);
}

result<std::string> sql_database::screen(const std::string & sql) const {
    if (sql.size() > 16 * 1024) {
        return error::invalid("the query is longer than 16384 bytes", "query", "query_too_long");
    }
    if (!is_valid_utf8(sql) || sql.find('\0') != std::string::npos) {
        return error::invalid("the query is not valid UTF-8 text", "query", "invalid_query");
    }
    std::string s = sql;
    while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == ';')) {
        s.pop_back();
    }
    size_t start = 0;
    while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) {
        ++start;
    }
    if (start == s.size()) {
        return error::invalid("the query is empty", "query", "invalid_query");
    }
    size_t end = start;
    while (end < s.size() && std::isalpha(static_cast<unsigned char>(s[end]))) {
        ++end;
    }
    std::string first = s.substr(start, end - start);
    std::transform(first.begin(), first.end(), first.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(settings_.statements.begin(), settings_.statements.end(), first) == settings_.statements.end()) {
        std::string allowed;
        for (const auto & a : settings_.statements) {
            allowed += (allowed.empty() ? "" : ", ") + a;
        }
        return error{error_kind::permission,
                     "'" + (first.empty() ? s.substr(start, 20) : first) + "' statements are not allowed here (" +
                         allowed + ")",
                     "query", "statement_not_allowed", {}};
    }
    return s.substr(start);
}

}  // namespace tiergate::agents
