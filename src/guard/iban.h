#pragma once
#include <cstddef>
#include <string_view>

namespace tiergate::guard {

// ISO 13616 check: two letters, two check digits, 11..30 alphanumerics
// (spaces ignored, letters case-insensitive), and the number mod 97 == 1.
bool iban_valid(std::string_view text);

// The length of the IBANs of a country in the ISO 13616 registry ("DE" -> 22),
// or 0 for a code the registry does not list. Upper-case codes only.
size_t iban_length(std::string_view country);

}  // namespace tiergate::guard
