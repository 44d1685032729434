#include "guard/iban.h"

#include <cstdint>

namespace tiergate::guard {

namespace {

int letter_value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 10;
    }
    return -1;
}

struct country_length {
    char code[3];
    uint8_t length;
};

// The IBAN registry (ISO 13616), sorted by code.
constexpr country_length registry[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22},
    {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28},
    {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

}  // namespace

size_t iban_length(std::string_view country) {
    if (country.size() != 2) {
        return 0;
    }
    size_t lo = 0;
    size_t hi = sizeof registry / sizeof registry[0];
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        const std::string_view code(registry[mid].code, 2);
        if (code == country) {
            return registry[mid].length;
        }
        if (code < country) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return 0;
}

bool iban_valid(std::string_view text) {
    char compact[34];
    size_t n = 0;
    for (char c : text) {
        if (c == ' ') {
            continue;
        }
        const bool digit = c >= '0' && c <= '9';
        if (!digit && letter_value(c) < 0) {
            return false;
        }
        if (n == sizeof compact) {
            return false;
        }
        compact[n++] = c;
    }
    if (n < 15) {
        return false;
    }
    if (letter_value(compact[0]) < 0 || letter_value(compact[1]) < 0) {
        return false;
    }
    if (compact[2] < '0' || compact[2] > '9' || compact[3] < '0' || compact[3] > '9') {
        return false;
    }
    int remainder = 0;
    auto feed = [&](char c) {
        if (c >= '0' && c <= '9') {
            remainder = (remainder * 10 + (c - '0')) % 97;
        } else {
            remainder = (remainder * 100 + letter_value(c)) % 97;
        }
    };
    for (size_t i = 4; i < n; ++i) {
        feed(compact[i]);
    }
    for (size_t i = 0; i < 4; ++i) {
        feed(compact[i]);
    }
    return remainder == 1;
}

}  // namespace tiergate::guard
