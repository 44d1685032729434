#include "eval/csv_reader.h"

#include <fstream>
#include <optional>
#include <sstream>

namespace tiergate::eval {

size_t csv_table::column(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) {
            return i;
        }
    }
    return std::string_view::npos;
}

namespace {

error csv_error(size_t line, const std::string & what) {
    return error::invalid("CSV line " + std::to_string(line) + ": " + what, "data", "malformed_csv");
}

}  // namespace

result<csv_table> parse_csv(std::string_view text) {
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
    }
    csv_table table;
    std::vector<std::string> record;
    std::string field;
    size_t line = 1;
    size_t record_line = 1;
    size_t i = 0;
    const size_t n = text.size();
    bool first_record = true;

    auto finish_record = [&]() -> std::optional<error> {
        if (first_record) {
            table.header = std::move(record);
            first_record = false;
        } else if (record.size() != table.header.size()) {
            return csv_error(record_line, "record has " + std::to_string(record.size()) + " fields, header has " +
                                              std::to_string(table.header.size()));
        } else {
            table.rows.push_back(std::move(record));
        }
        record.clear();
        return std::nullopt;
    };

    while (i < n) {
        // At the start of a record: skip empty lines.
        if (record.empty() && (text[i] == '\n' || text[i] == '\r')) {
            if (text[i] == '\n') {
                ++line;
            }
            ++i;
            continue;
        }
        record_line = line;
        // Parse one record.
        while (true) {
            field.clear();
            if (i < n && text[i] == '"') {
                const size_t quote_line = line;
                ++i;
                bool closed = false;
                while (i < n) {
                    const char c = text[i];
                    if (c == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    if (c == '\n') {
                        ++line;
                    }
                    field += c;
                    ++i;
                }
                if (!closed) {
                    return csv_error(quote_line, "unterminated quoted field");
                }
                if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    return csv_error(line, "unexpected character after a closing quote");
                }
            } else {
                while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    if (text[i] == '"') {
                        return csv_error(line, "quote inside an unquoted field");
                    }
                    field += text[i];
                    ++i;
                }
            }
            record.push_back(field);
            if (i < n && text[i] == ',') {
                ++i;
                continue;
            }
            // End of record: CRLF, LF, lone CR or end of text.
            if (i < n && text[i] == '\r') {
                ++i;
            }
            if (i < n && text[i] == '\n') {
                ++i;
                ++line;
            }
            break;
        }
        if (auto err = finish_record()) {
            return *err;
        }
    }
    if (first_record) {
        return csv_error(1, "empty file: no header");
    }
    return table;
}

result<csv_table> read_csv_file(const std::string & path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return error::invalid("cannot open data file " + path, "data", "file_not_found");
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    auto table = parse_csv(buffer.str());
    if (!table) {
        error err = table.err();
        err.message = path + ": " + err.message;
        return err;
    }
    return table;
}

}  // namespace tiergate::eval
