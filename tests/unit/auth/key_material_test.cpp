#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "auth/base64url.h"
#include "auth/key_material.h"

namespace tiergate::auth {
namespace {

std::string hex(const key_hash & h) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (uint8_t b : h) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::string b64(std::vector<uint8_t> bytes) { return base64url_encode(bytes); }

TEST(base64url, rfc4648_vectors_without_padding) {
    EXPECT_EQ(b64({}), "");
    EXPECT_EQ(b64({'f'}), "Zg");
    EXPECT_EQ(b64({'f', 'o'}), "Zm8");
    EXPECT_EQ(b64({'f', 'o', 'o'}), "Zm9v");
    EXPECT_EQ(b64({'f', 'o', 'o', 'b', 'a', 'r'}), "Zm9vYmFy");
    EXPECT_EQ(b64({0xfb, 0xff, 0xbf}), "-_-_");  // the url-safe characters
}

TEST(key_material, key_shape) {
    auto key = generate_api_key();
    ASSERT_TRUE(key);
    EXPECT_EQ(key->size(), key_length);
    EXPECT_EQ(key->rfind("tg-", 0), 0u);
    EXPECT_TRUE(looks_like_api_key(*key));
    EXPECT_EQ(key_display_prefix(*key), key->substr(0, 10));
}

TEST(key_material, keys_and_ids_differ) {
    std::set<std::string> keys;
    std::set<std::string> ids;
    for (int i = 0; i < 200; ++i) {
        keys.insert(*generate_api_key());
        ids.insert(*generate_key_id());
    }
    EXPECT_EQ(keys.size(), 200u);
    EXPECT_EQ(ids.size(), 200u);
    EXPECT_EQ(ids.begin()->size(), 4u + 16u);
}

TEST(key_material, sha256_known_answer) {
    EXPECT_EQ(hex(hash_api_key("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(key_material, shape_check_rejects_other_strings) {
    std::string key = *generate_api_key();
    EXPECT_FALSE(looks_like_api_key(""));
    EXPECT_FALSE(looks_like_api_key("sk-" + key.substr(3)));
    EXPECT_FALSE(looks_like_api_key(key.substr(0, key.size() - 1)));
    EXPECT_FALSE(looks_like_api_key(key + "A"));
    std::string bad = key;
    bad[10] = '+';
    EXPECT_FALSE(looks_like_api_key(bad));
}

}  // namespace
}  // namespace tiergate::auth
