#pragma once
#include <string_view>

namespace tiergate::guard {

// The Luhn (mod 10) check over the digits of text; other characters are
// skipped. False when there are fewer than two digits.
bool luhn_valid(std::string_view text);

}  // namespace tiergate::guard
