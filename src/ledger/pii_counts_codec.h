#pragma once
// PII counts as stored in the ledger: a JSON object {"email":2,"iban":1}.
#include <cstdint>
#include <map>
#include <string>

namespace tiergate::ledger {

std::string encode_pii_counts(const std::map<std::string, int64_t> & counts);
// Malformed text yields an empty map.
std::map<std::string, int64_t> decode_pii_counts(const std::string & text);

}  // namespace tiergate::ledger
