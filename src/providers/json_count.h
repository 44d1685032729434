#pragma once

#include <optional>

#include <nlohmann/json.hpp>

namespace tiergate::providers {

// A count an upstream reported (tokens, an index): nullopt when the key is
// missing or null; the value when it is a JSON integer, or a number with no
// fractional part, in 0..INT_MAX. Anything else (a string, -5, 2.5, 1e300)
// throws std::domain_error naming the key, which the remote provider's
// decode() reports as an invalid response, as it does for nlohmann's type
// errors; never a conversion whose result the language leaves undefined.
std::optional<int> json_count(const nlohmann::json & object, const char * key);

}  // namespace tiergate::providers
