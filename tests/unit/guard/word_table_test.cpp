#include "guard/word_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tiergate::guard;

TEST(word_table, finds_keys_and_merges_flags_of_duplicates) {
    const word_table table({{"anna", 1}, {"smith", 2}, {"anna", 4}, {"new york", 8}, {"internationalization", 16}});
    EXPECT_EQ(table.size(), 4u);
    EXPECT_EQ(table.find("anna"), 5u);
    EXPECT_EQ(table.find("smith"), 2u);
    EXPECT_EQ(table.find("new york"), 8u);
    EXPECT_EQ(table.find("internationalization"), 16u);
    EXPECT_EQ(table.longest(), 20u);
}

TEST(word_table, misses_prefixes_extensions_and_near_keys) {
    const word_table table({{"anna", 1}, {"internationalization", 2}, {"internationalizatio", 4}});
    EXPECT_EQ(table.find("ann"), 0u);
    EXPECT_EQ(table.find("annas"), 0u);
    EXPECT_EQ(table.find("Anna"), 0u);
    EXPECT_EQ(table.find(""), 0u);
    // keys that differ only after the first eight bytes
    EXPECT_EQ(table.find("internationalizatiom"), 0u);
    EXPECT_EQ(table.find("internationalizatio"), 4u);
    EXPECT_EQ(table.find(std::string(300, 'a')), 0u);
}

TEST(word_table, padded_lookups_ignore_the_bytes_after_the_key) {
    const word_table table({{"anna", 1}, {"bo", 2}, {"abcdefghij", 4}});
    const std::string buffer = "annaXXXXXXXXbo\x01\x02\x03\x04\x05\x06\x07\x08" "abcdefghijZZZZZZZZ";
    EXPECT_EQ(table.find_padded(buffer.data(), 4), 1u);
    EXPECT_EQ(table.find_padded(buffer.data() + 12, 2), 2u);
    EXPECT_EQ(table.find_padded(buffer.data() + 22, 10), 4u);
    EXPECT_EQ(table.find_padded(buffer.data(), 5), 0u);
}

TEST(word_table, holds_many_keys) {
    std::vector<std::string> keys;
    for (int i = 0; i < 5000; ++i) {
        keys.push_back("word" + std::to_string(i * 7919));
    }
    std::vector<std::pair<std::string_view, uint32_t>> entries;
    for (size_t i = 0; i < keys.size(); ++i) {
        entries.emplace_back(keys[i], static_cast<uint32_t>(i % 1000 + 1));
    }
    const word_table table(entries);
    for (size_t i = 0; i < keys.size(); ++i) {
        ASSERT_EQ(table.find(keys[i]), i % 1000 + 1) << keys[i];
        ASSERT_EQ(table.find(keys[i] + "x"), 0u);
    }
}
