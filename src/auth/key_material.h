#pragma once
// Virtual API keys: "tg-" + 32 random bytes (OpenSSL CSPRNG) in base64url.
// Only the SHA-256 of a key is stored; the key itself is shown once.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace tiergate::auth {

inline constexpr std::string_view key_marker = "tg-";
inline constexpr std::size_t key_random_bytes = 32;
inline constexpr std::size_t key_length = 3 + 43;  // marker + base64url of 32 bytes
inline constexpr std::size_t key_prefix_length = 10;  // shown by `keys list`: marker + 7 characters

using key_hash = std::array<uint8_t, 32>;

result<std::string> generate_api_key();
// "key_" + 16 hex digits, random: names a key in lists and logs.
result<std::string> generate_key_id();
key_hash hash_api_key(std::string_view key);
// The first characters of a key, enough to recognise it, far too few to use it.
std::string key_display_prefix(std::string_view key);
// Shape only: marker, length, alphabet.
bool looks_like_api_key(std::string_view key);

}  // namespace tiergate::auth
