#include "providers/retry_backoff.h"

#include <algorithm>
#include <cctype>
#include <random>

namespace tiergate::providers {

namespace {

std::optional<long long> parse_count(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    if (text.empty() || text.size() > 9) {
        return std::nullopt;
    }
    long long v = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

millis backoff_delay(millis base, int failed_attempts) {
    const int shift = std::clamp(failed_attempts - 1, 0, 16);
    const long long full = std::min<long long>(base.count() << shift, 60'000);
    if (full <= 1) {
        return millis(full);
    }
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uniform_int_distribution<long long> half(full / 2, full);
    return millis(half(rng));
}

std::optional<millis> retry_after(const header_map & headers) {
    if (auto it = headers.find("retry-after-ms"); it != headers.end()) {
        if (auto v = parse_count(it->second)) {
            return millis(*v);
        }
    }
    if (auto it = headers.find("retry-after"); it != headers.end()) {
        if (auto v = parse_count(it->second)) {
            return millis(*v * 1000);
        }
    }
    return std::nullopt;
}

}  // namespace tiergate::providers
