#include "eval/python_literal.h"

namespace tiergate::eval {
namespace {

error literal_error(size_t at, const std::string & what) {
    return error::invalid("Python list literal at offset " + std::to_string(at) + ": " + what, "prompt",
                          "malformed_literal");
}

// A lone surrogate (\ud800..\udfff, which Python strings may hold) has no
// UTF-8 form: it becomes U+FFFD, so every string read is valid UTF-8.
void append_utf8(std::string & out, uint32_t cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) {
        cp = 0xFFFD;
    }
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

result<std::vector<std::string>> parse_python_string_list(std::string_view text) {
    size_t i = 0;
    const size_t n = text.size();
    auto skip_space = [&]() {
        while (i < n && is_space(text[i])) {
            ++i;
        }
    };
    skip_space();
    if (i >= n || text[i] != '[') {
        return literal_error(i, "expected '['");
    }
    ++i;
    std::vector<std::string> items;
    while (true) {
        skip_space();
        if (i < n && text[i] == ']') {
            ++i;
            break;
        }
        if (i >= n || (text[i] != '\'' && text[i] != '"')) {
            return literal_error(i, "expected a quoted string or ']'");
        }
        const char quote = text[i];
        const size_t start = i;
        ++i;
        std::string value;
        bool closed = false;
        while (i < n) {
            const char c = text[i];
            if (c == quote) {
                ++i;
                closed = true;
                break;
            }
            if (c == '\n') {
                return literal_error(i, "line break inside a string");
            }
            if (c != '\\') {
                value += c;
                ++i;
                continue;
            }
            if (i + 1 >= n) {
                break;
            }
            const char e = text[i + 1];
            i += 2;
            switch (e) {
                case '\\': value += '\\'; break;
                case '\'': value += '\''; break;
                case '"': value += '"'; break;
                case 'n': value += '\n'; break;
                case 'r': value += '\r'; break;
                case 't': value += '\t'; break;
                case 'a': value += '\a'; break;
                case 'b': value += '\b'; break;
                case 'f': value += '\f'; break;
                case 'v': value += '\v'; break;
                case '\n': break;
                case 'x':
                case 'u':
                case 'U': {
                    const size_t digits = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
                    if (i + digits > n) {
                        return literal_error(i, "truncated \\" + std::string(1, e) + " escape");
                    }
                    uint32_t cp = 0;
                    for (size_t d = 0; d < digits; ++d) {
                        const int v = hex_value(text[i + d]);
                        if (v < 0) {
                            return literal_error(i + d, "bad hex digit in \\" + std::string(1, e) + " escape");
                        }
                        cp = cp * 16 + static_cast<uint32_t>(v);
                    }
                    if (cp > 0x10FFFF) {
                        return literal_error(i, "code point out of range");
                    }
                    i += digits;
                    append_utf8(value, cp);
                    break;
                }
                default:
                    if (e >= '0' && e <= '7') {
                        uint32_t cp = static_cast<uint32_t>(e - '0');
                        for (int d = 0; d < 2 && i < n && text[i] >= '0' && text[i] <= '7'; ++d, ++i) {
                            cp = cp * 8 + static_cast<uint32_t>(text[i] - '0');
                        }
                        append_utf8(value, cp);
                    } else {
                        value += '\\';
                        value += e;
                    }
            }
        }
        if (!closed) {
            return literal_error(start, "unterminated string");
        }
        items.push_back(std::move(value));
        skip_space();
        if (i < n && text[i] == ',') {
            ++i;
            continue;
        }
        if (i < n && text[i] == ']') {
            ++i;
            break;
        }
        return literal_error(i, "expected ',' or ']'");
    }
    skip_space();
    if (i != n) {
        return literal_error(i, "text after the closing ']'");
    }
    return items;
}

}  // namespace tiergate::eval
