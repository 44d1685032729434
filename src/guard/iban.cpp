#include "guard/iban.h"

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

}  // namespace

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
