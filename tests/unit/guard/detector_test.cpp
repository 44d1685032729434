#include "guard/scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tiergate::guard;

namespace {

// The findings of one type, as the substrings they cover.
std::vector<std::string> found(const std::string & text, entity_type type) {
    std::vector<std::string> out;
    for (const finding & f : scan(text)) {
        EXPECT_LE(f.end, text.size());
        EXPECT_LT(f.start, f.end);
        if (f.type == type) {
            out.push_back(text.substr(f.start, f.end - f.start));
        }
    }
    return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST(email_detector, finds_addresses_and_rejects_look_alikes) {
    EXPECT_EQ(found("write to jane.doe+tag@mail.example.co.uk today", entity_type::email_address),
              strings{"jane.doe+tag@mail.example.co.uk"});
    EXPECT_EQ(found("a@b.io, c_d@e-f.org", entity_type::email_address), (strings{"a@b.io", "c_d@e-f.org"}));
    EXPECT_TRUE(found("@handle and user@localhost and x@y.1", entity_type::email_address).empty());
    EXPECT_TRUE(found("price @ 5.00", entity_type::email_address).empty());
}

TEST(phone_detector, finds_international_and_local_formats) {
    EXPECT_EQ(found("call +1-984-182-0190 now", entity_type::phone_number), strings{"+1-984-182-0190"});
    EXPECT_EQ(found("Desk: +41 (0)85 806 98 67", entity_type::phone_number), strings{"+41 (0)85 806 98 67"});
    EXPECT_EQ(found("Fax: 463-612-6138x036", entity_type::phone_number), strings{"463-612-6138x036"});
    EXPECT_EQ(found("phone (555) 123-4567", entity_type::phone_number), strings{"(555) 123-4567"});
    EXPECT_EQ(found("mobile 07700 900 123", entity_type::phone_number), strings{"07700 900 123"});
    EXPECT_EQ(found("+44 20 7946 0958", entity_type::phone_number), strings{"+44 20 7946 0958"});
}

TEST(phone_detector, ignores_plain_numbers_and_amounts) {
    EXPECT_TRUE(found("we sold 1234 units in 2019", entity_type::phone_number).empty());
    EXPECT_TRUE(found("version 1.2.3", entity_type::phone_number).empty());
    EXPECT_TRUE(found("pay 12 dollars", entity_type::phone_number).empty());
}

TEST(card_detector, finds_luhn_valid_numbers_only) {
    EXPECT_EQ(found("card 4111 1111 1111 1111 expires", entity_type::credit_card), strings{"4111 1111 1111 1111"});
    EXPECT_EQ(found("amex 378282246310005.", entity_type::credit_card), strings{"378282246310005"});
    EXPECT_EQ(found("5500-0000-0000-0004", entity_type::credit_card), strings{"5500-0000-0000-0004"});
    EXPECT_TRUE(found("card 4111 1111 1111 1112", entity_type::credit_card).empty());
    EXPECT_TRUE(found("order 0000000000000000", entity_type::credit_card).empty());
}

TEST(iban_detector, finds_checked_ibans_in_text) {
    EXPECT_EQ(found("IBAN GB82 WEST 1234 5698 7654 32, thanks", entity_type::iban_code),
              strings{"GB82 WEST 1234 5698 7654 32"});
    EXPECT_EQ(found("to DE89370400440532013000.", entity_type::iban_code), strings{"DE89370400440532013000"});
    EXPECT_TRUE(found("to DE89370400440532013001.", entity_type::iban_code).empty());
}

TEST(ssn_detector, finds_valid_ssns_and_rejects_invalid_areas) {
    EXPECT_EQ(found("SSN 474-49-7577", entity_type::us_ssn), strings{"474-49-7577"});
    EXPECT_EQ(found("social security number 123456789", entity_type::us_ssn), strings{"123456789"});
    EXPECT_TRUE(found("id 000-12-3456", entity_type::us_ssn).empty());
    EXPECT_TRUE(found("id 666-12-3456", entity_type::us_ssn).empty());
    EXPECT_TRUE(found("id 123-00-4567", entity_type::us_ssn).empty());
    EXPECT_TRUE(found("number 123456789", entity_type::us_ssn).empty());
}

TEST(ip_detector, finds_ipv4_and_ipv6) {
    EXPECT_EQ(found("from 192.168.10.255 today", entity_type::ip_address), strings{"192.168.10.255"});
    EXPECT_EQ(found("host 6e40:4041:c617:e898:c11:40d2:c669:2eb4 up", entity_type::ip_address),
              strings{"6e40:4041:c617:e898:c11:40d2:c669:2eb4"});
    EXPECT_EQ(found("loopback ::1 and fe80::1ff:fe23:4567:890a", entity_type::ip_address),
              (strings{"::1", "fe80::1ff:fe23:4567:890a"}));
    EXPECT_TRUE(found("256.1.1.1 and 1.2.3", entity_type::ip_address).empty());
    EXPECT_TRUE(found("at 12:13:52 and std::string", entity_type::ip_address).empty());
}

TEST(url_detector, finds_urls_and_bare_domains) {
    EXPECT_EQ(found("see https://www.example.com/a?b=1.", entity_type::url), strings{"https://www.example.com/a?b=1"});
    EXPECT_EQ(found("visit www.UEarly.se now", entity_type::url), strings{"www.UEarly.se"});
    EXPECT_EQ(found("go to example.org/path", entity_type::url), strings{"example.org/path"});
    EXPECT_TRUE(found("e.g. this and file.txt", entity_type::url).empty());
}

TEST(date_detector, finds_numeric_and_word_dates) {
    EXPECT_EQ(found("born 2/8/1935 in", entity_type::date_time), strings{"2/8/1935"});
    EXPECT_EQ(found("at 2003-08-28 12:13:52 UTC", entity_type::date_time), strings{"2003-08-28 12:13:52"});
    EXPECT_EQ(found("on Thursday morning", entity_type::date_time), strings{"Thursday"});
    EXPECT_EQ(found("due March 5, 2020.", entity_type::date_time), strings{"March 5, 2020"});
    EXPECT_TRUE(found("13/13/2020", entity_type::date_time).empty());
}

TEST(license_detector, needs_a_licence_cue) {
    EXPECT_EQ(found("my driver's license is F162823540116", entity_type::us_driver_license),
              strings{"F162823540116"});
    EXPECT_TRUE(found("order F162823540116", entity_type::us_driver_license).empty());
}

TEST(secret_detector, finds_keys_with_known_prefixes) {
    EXPECT_EQ(found("key sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345 ok", entity_type::api_key),
              strings{"sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345"});
    EXPECT_EQ(found("AKIAIOSFODNN7EXAMPLE", entity_type::api_key), strings{"AKIAIOSFODNN7EXAMPLE"});
    EXPECT_EQ(found("token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB", entity_type::api_key),
              strings{"ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"});
    EXPECT_EQ(found("slack xoxb-1234567890-abcdefghij", entity_type::api_key), strings{"xoxb-1234567890-abcdefghij"});
    EXPECT_EQ(found("AIzaSyA1234567890abcdefghijklmnopqrstuv", entity_type::api_key),
              strings{"AIzaSyA1234567890abcdefghijklmnopqrstuv"});
    EXPECT_TRUE(found("the sk-short key and task-based work", entity_type::api_key).empty());
}

TEST(secret_detector, finds_pem_private_keys_and_high_entropy_tokens) {
    const std::string pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
    EXPECT_EQ(found("here:\n" + pem + "\nbye", entity_type::private_key), strings{pem});
    EXPECT_TRUE(found("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", entity_type::private_key).empty());
    EXPECT_EQ(found("secret: Zx8Qm2Lr9Tb4Wk7Yp1Hs6Nd3Fg5Jc0Va8Ue2Oi", entity_type::secret_token),
              strings{"Zx8Qm2Lr9Tb4Wk7Yp1Hs6Nd3Fg5Jc0Va8Ue2Oi"});
    EXPECT_TRUE(found("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1111", entity_type::secret_token).empty());
    EXPECT_TRUE(found("internationalization_and_localization_2024", entity_type::secret_token).empty());
}

TEST(scanner, custom_patterns_use_re2_and_report_their_type) {
    auto s = scanner::make({}, {{"employee id", "EMP-[0-9]{6}", entity_type::custom, 0.9f}});
    ASSERT_TRUE(s.ok());
    const std::string text = "ids EMP-123456 and EMP-654321, not EMP-12";
    std::vector<std::string> ids;
    for (const finding & f : s->scan(text)) {
        if (f.type == entity_type::custom) {
            EXPECT_EQ(f.source, finding_source::custom);
            EXPECT_EQ(f.custom_index, 0);
            ids.push_back(text.substr(f.start, f.end - f.start));
        }
    }
    EXPECT_EQ(ids, (strings{"EMP-123456", "EMP-654321"}));
}

TEST(scanner, invalid_custom_pattern_is_an_error_naming_it) {
    auto s = scanner::make({}, {{"ok", "a+", entity_type::custom, 0.9f}, {"broken", "(a", entity_type::custom, 0.9f}});
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.err().param, "guard.patterns[1].regex");
    EXPECT_NE(s.err().message.find("broken"), std::string::npos);
}

TEST(scanner, findings_are_sorted_and_do_not_overlap) {
    const std::string text =
        "Mr. John Smith (john.smith@example.com, +1 415 555 0100) lives at 221 Baker Street, London. "
        "Card 4111 1111 1111 1111, IBAN GB82WEST12345698765432, IP 10.0.0.1, SSN 474-49-7577.";
    const auto findings = scan(text);
    ASSERT_GE(findings.size(), 8u);
    for (size_t i = 1; i < findings.size(); ++i) {
        EXPECT_LE(findings[i - 1].end, findings[i].start);
    }
}

TEST(resolve_overlaps, keeps_checked_patterns_over_names) {
    std::vector<finding> f = {{entity_type::person, 0, 10, 0.9f, finding_source::shape, 0},
                              {entity_type::email_address, 5, 20, 1.0f, finding_source::pattern, 0},
                              {entity_type::location, 25, 30, 0.8f, finding_source::dictionary, 0}};
    resolve_overlaps(f);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].type, entity_type::email_address);
    EXPECT_EQ(f[1].type, entity_type::location);
}
