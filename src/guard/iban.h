#pragma once
#include <string_view>

namespace tiergate::guard {

// ISO 13616 check: two letters, two check digits, 11..30 alphanumerics
// (spaces ignored, letters case-insensitive), and the number mod 97 == 1.
bool iban_valid(std::string_view text);

}  // namespace tiergate::guard
