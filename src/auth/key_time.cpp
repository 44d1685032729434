#include "auth/key_time.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace tiergate::auth {

namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int & out) {
    if (pos + len > text.size()) {
        return false;
    }
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc() && ptr == text.data() + pos + len;
}

error bad_expiry(std::string_view text) {
    return error::invalid("expected a UTC date YYYY-MM-DD or time YYYY-MM-DDTHH:MM:SSZ, got \"" + std::string(text) +
                              "\"",
                          "expires");
}

}  // namespace

result<int64_t> parse_expiry(std::string_view text) {
    std::tm tm{};
    int year = 0;
    int month = 0;
    int day = 0;
    if (!read_int(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !read_int(text, 5, 2, month) ||
        text[7] != '-' || !read_int(text, 8, 2, day)) {
        return bad_expiry(text);
    }
    int hour = 0;
    int minute = 0;
    int second = 0;
    if (text.size() != 10) {
        if (text.size() != 20 || text[10] != 'T' || !read_int(text, 11, 2, hour) || text[13] != ':' ||
            !read_int(text, 14, 2, minute) || text[16] != ':' || !read_int(text, 17, 2, second) || text[19] != 'Z') {
            return bad_expiry(text);
        }
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
        return bad_expiry(text);
    }
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    std::time_t t = timegm(&tm);
    // timegm normalizes 2027-02-30 to March: reject dates that moved.
    if (tm.tm_mday != day || tm.tm_mon != month - 1) {
        return bad_expiry(text);
    }
    return static_cast<int64_t>(t);
}

result<int64_t> parse_ttl_seconds(std::string_view text) {
    auto bad = [&] {
        return error::invalid("expected a lifetime such as 90s, 15m, 12h, 30d or 2w, got \"" + std::string(text) + "\"",
                              "ttl");
    };
    if (text.size() < 2) {
        return bad();
    }
    int64_t count = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, count);
    if (ec != std::errc() || ptr != text.data() + text.size() - 1 || count <= 0) {
        return bad();
    }
    int64_t unit = 0;
    switch (text.back()) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 7 * 86400; break;
        default: return bad();
    }
    if (count > int64_t{100} * 366 * 86400 / unit) {
        return error::invalid("lifetime \"" + std::string(text) + "\" is over 100 years", "ttl");
    }
    return count * unit;
}

std::string format_utc(int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int64_t unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace tiergate::auth
