#include "auth/key_material.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "auth/base64url.h"

namespace tiergate::auth {

namespace {

result<std::vector<uint8_t>> random_bytes(std::size_t n) {
    std::vector<uint8_t> bytes(n);
    if (RAND_bytes(bytes.data(), static_cast<int>(n)) != 1) {
        return error{error_kind::internal, "the system random generator failed", "", "random_failed", {}};
    }
    return bytes;
}

}  // namespace

result<std::string> generate_api_key() {
    auto bytes = random_bytes(key_random_bytes);
    if (!bytes) {
        return bytes.err();
    }
    std::string key(key_marker);
    key += base64url_encode(*bytes);
    std::fill(bytes->begin(), bytes->end(), 0);
    return key;
}

result<std::string> generate_key_id() {
    auto bytes = random_bytes(8);
    if (!bytes) {
        return bytes.err();
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string id = "key_";
    for (uint8_t b : *bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    return id;
}

key_hash hash_api_key(std::string_view key) {
    key_hash out{};
    SHA256(reinterpret_cast<const unsigned char *>(key.data()), key.size(), out.data());
    return out;
}

std::string key_display_prefix(std::string_view key) { return std::string(key.substr(0, key_prefix_length)); }

bool looks_like_api_key(std::string_view key) {
    if (key.size() != key_length || !key.starts_with(key_marker)) {
        return false;
    }
    return std::all_of(key.begin() + key_marker.size(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

}  // namespace tiergate::auth
