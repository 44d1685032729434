#pragma once
// RFC 4180 CSV: comma-separated fields, CRLF or LF record ends, fields in
// double quotes may hold commas, quotes (doubled) and line breaks.

#include "core/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace tiergate::eval {

struct csv_table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;  // each has header.size() fields

    // Index of a header column, or npos.
    size_t column(std::string_view name) const;
};

// Parses text whose first record is the header. A leading UTF-8 BOM is
// skipped, a final record end is optional, and empty lines between records
// are skipped. Errors name the line: a quote inside an unquoted field, text
// after a closing quote, an unterminated quote, or a record whose field count
// differs from the header's.
result<csv_table> parse_csv(std::string_view text);
result<csv_table> read_csv_file(const std::string & path);

}  // namespace tiergate::eval
