#include "admin/period.h"

#include <charconv>
#include <chrono>
#include <cstdio>

#include "ledger/report.h"

namespace tiergate::admin {

namespace {

constexpr int64_t minute_ms = 60'000;
constexpr int64_t hour_ms = 3'600'000;
constexpr int64_t day_ms = 86'400'000;

std::string shown(std::string_view text) { return std::string(text.substr(0, 64)); }

}  // namespace

result<int64_t> parse_time(std::string_view text, const char * param) {
    int64_t ms = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
        if (ms < 0) {
            return error::invalid(std::string(param) + " must not be negative", param, "invalid_period");
        }
        return ms;
    }
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, frac = 0, used = 0;
    const std::string copy(text.substr(0, 40));
    const bool whole = std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &used) == 6 &&
                       used == static_cast<int>(copy.size());
    // milliseconds: exactly three digits (.5 would read as 5 ms, not 500)
    const bool with_ms = !whole && copy.size() == 24 && copy[19] == '.' &&
                         std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &y, &mo, &d, &h, &mi, &s, &frac,
                                     &used) == 7 &&
                         used == static_cast<int>(copy.size());
    using namespace std::chrono;
    const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if ((!whole && !with_ms) || text.size() != copy.size() || !ymd.ok() || h > 23 || mi > 59 || s > 59 || y < 1970) {
        return error::invalid(std::string(param) + " '" + shown(text) +
                                  "' is neither Unix milliseconds nor a UTC time like 2026-12-07T10:00:00Z",
                              param, "invalid_period");
    }
    const int64_t days_since = sys_days(ymd).time_since_epoch().count();
    return days_since * day_ms + h * hour_ms + mi * minute_ms + s * 1000LL + frac;
}

result<std::monostate> only_params(const query_map & query, std::initializer_list<std::string_view> known) {
    for (const auto & [name, value] : query) {
        bool found = false;
        for (auto k : known) {
            found = found || name == k;
        }
        if (!found) {
            std::string list;
            for (auto k : known) {
                list += (list.empty() ? "" : ", ") + std::string(k);
            }
            return error::invalid("unknown query parameter '" + shown(name) + "' (known: " +
                                      (list.empty() ? std::string("none") : list) + ")",
                                  shown(name), "unknown_parameter");
        }
    }
    return std::monostate{};
}

result<period> read_period(const query_map & query, int64_t now_ms, std::string_view default_range) {
    period p;
    const auto range = query.find("range");
    const auto from = query.find("from");
    const auto to = query.find("to");
    if (range != query.end() && (from != query.end() || to != query.end())) {
        return error::invalid("give either range or from/to, not both", "range", "invalid_period");
    }
    if (from != query.end() || to != query.end()) {
        if (from == query.end()) {
            return error::invalid("to needs from", "from", "invalid_period");
        }
        auto f = parse_time(from->second, "from");
        if (!f) {
            return f.err();
        }
        p.from_ms = *f;
        p.to_ms = now_ms;
        if (to != query.end()) {
            auto t = parse_time(to->second, "to");
            if (!t) {
                return t.err();
            }
            p.to_ms = *t;
        }
    } else {
        const std::string text = range != query.end() ? range->second : std::string(default_range);
        auto length = ledger::parse_period(text);
        if (!length || *length <= 0) {
            return error::invalid("range '" + shown(text) + "' is not a period like 15m, 24h or 7d", "range",
                                  "invalid_period");
        }
        p.to_ms = now_ms;
        p.from_ms = now_ms - *length;
    }
    if (p.from_ms >= p.to_ms) {
        return error::invalid("from must be before to", "from", "invalid_period");
    }
    if (p.to_ms - p.from_ms > max_period_ms) {
        return error::invalid("a period is at most 93 days", "range", "invalid_period");
    }
    std::string bucket;
    if (auto b = query.find("bucket"); b != query.end()) {
        bucket = b->second;
    } else {
        const int64_t length = p.to_ms - p.from_ms;
        bucket = length <= 6 * hour_ms ? "minute" : length <= 7 * day_ms ? "hour" : "day";
    }
    if (bucket == "minute") {
        p.bucket_ms = minute_ms;
    } else if (bucket == "hour") {
        p.bucket_ms = hour_ms;
    } else if (bucket == "day") {
        p.bucket_ms = day_ms;
    } else {
        return error::invalid("bucket '" + shown(bucket) + "' is not one of minute, hour, day", "bucket",
                              "invalid_bucket");
    }
    p.bucket = bucket;
    if (p.bucket_count() > max_buckets) {
        return error::invalid("that is " + std::to_string(p.bucket_count()) + " buckets of a " + bucket +
                                  " (at most " + std::to_string(max_buckets) + "): choose a larger bucket",
                              "bucket", "too_many_buckets");
    }
    return p;
}

}  // namespace tiergate::admin
