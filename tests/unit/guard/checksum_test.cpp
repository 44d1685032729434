#include "guard/iban.h"
#include "guard/luhn.h"

#include <gtest/gtest.h>

using namespace tiergate::guard;

TEST(luhn, accepts_valid_card_numbers) {
    EXPECT_TRUE(luhn_valid("4111111111111111"));
    EXPECT_TRUE(luhn_valid("4111 1111 1111 1111"));
    EXPECT_TRUE(luhn_valid("5500-0000-0000-0004"));
    EXPECT_TRUE(luhn_valid("378282246310005"));
    EXPECT_TRUE(luhn_valid("79927398713"));
}

TEST(luhn, rejects_single_digit_errors_and_short_input) {
    EXPECT_FALSE(luhn_valid("4111111111111112"));
    EXPECT_FALSE(luhn_valid("79927398710"));
    EXPECT_FALSE(luhn_valid("0"));
    EXPECT_FALSE(luhn_valid(""));
    EXPECT_FALSE(luhn_valid("abc"));
}

TEST(luhn, detects_every_single_digit_change) {
    const std::string valid = "4539578763621486";
    ASSERT_TRUE(luhn_valid(valid));
    for (size_t i = 0; i < valid.size(); ++i) {
        for (char d = '0'; d <= '9'; ++d) {
            if (d == valid[i]) {
                continue;
            }
            std::string changed = valid;
            changed[i] = d;
            EXPECT_FALSE(luhn_valid(changed)) << changed;
        }
    }
}

TEST(iban, accepts_valid_ibans_with_and_without_spaces) {
    EXPECT_TRUE(iban_valid("GB82WEST12345698765432"));
    EXPECT_TRUE(iban_valid("GB82 WEST 1234 5698 7654 32"));
    EXPECT_TRUE(iban_valid("DE89370400440532013000"));
    EXPECT_TRUE(iban_valid("FR1420041010050500013M02606"));
    EXPECT_TRUE(iban_valid("de89370400440532013000"));
}

TEST(iban, rejects_bad_check_digits_shapes_and_lengths) {
    EXPECT_FALSE(iban_valid("GB82WEST12345698765433"));
    EXPECT_FALSE(iban_valid("GB83WEST12345698765432"));
    EXPECT_FALSE(iban_valid("1282WEST12345698765432"));
    EXPECT_FALSE(iban_valid("GBX2WEST12345698765432"));
    EXPECT_FALSE(iban_valid("GB82WEST"));
    EXPECT_FALSE(iban_valid("GB82-WEST-1234-5698-7654-32"));
    EXPECT_FALSE(iban_valid(std::string(40, '1')));
}
