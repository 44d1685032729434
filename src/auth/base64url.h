#pragma once
// base64url without padding (RFC 4648 section 5): the alphabet of API keys.

#include <cstdint>
#include <span>
#include <string>

namespace tiergate::auth {

std::string base64url_encode(std::span<const uint8_t> bytes);

}  // namespace tiergate::auth
