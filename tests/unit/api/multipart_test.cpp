#include "api/multipart.h"

#include <gtest/gtest.h>

using tiergate::api::parse_multipart;

namespace {

const char * type = "multipart/form-data; boundary=XyZ";

std::string body_of(const std::string & parts) { return parts + "--XyZ--\r\n"; }

}  // namespace

TEST(Multipart, ReadsFieldsAndFilesWithTheirBytes) {
    const std::string body = body_of(
        "--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\"\r\n"
        "Content-Type: text/plain\r\n\r\nline one\r\n\r\nline two\r\n");
    auto parts = parse_multipart(type, body);
    ASSERT_TRUE(parts) << parts.err().message;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].name, "purpose");
    EXPECT_FALSE((*parts)[0].has_filename);
    EXPECT_EQ((*parts)[0].body, "assistants");
    EXPECT_EQ((*parts)[1].name, "file");
    EXPECT_EQ((*parts)[1].filename, "a \"b\".txt");
    EXPECT_EQ((*parts)[1].content_type, "text/plain");
    EXPECT_EQ((*parts)[1].body, "line one\r\n\r\nline two");
}

TEST(Multipart, QuotedBoundaryAndPreambleAreAccepted) {
    const std::string body = "preamble\r\n--a:b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a:b--";
    auto parts = parse_multipart("Multipart/Form-Data; charset=utf-8; boundary=\"a:b\"", body);
    ASSERT_TRUE(parts) << parts.err().message;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].name, "x");
    EXPECT_EQ((*parts)[0].body, "1");
}

TEST(Multipart, BinaryBytesAndBoundaryLookalikesStayInTheBody) {
    std::string data("\0\xff--XyZ not a delimiter\r\n-XyZ", 30);
    const std::string body = body_of("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.bin\"\r\n\r\n" +
                                     data + "\r\n");
    auto parts = parse_multipart(type, body);
    ASSERT_TRUE(parts) << parts.err().message;
    EXPECT_EQ((*parts)[0].body, data);
}

TEST(Multipart, MalformedBodiesAreClearErrors) {
    const struct {
        const char * content_type;
        std::string body;
        const char * says;
    } cases[] = {
        {"application/json", "{}", "multipart/form-data"},
        {"multipart/form-data", "--x\r\n", "boundary"},
        {type, "no delimiter at all", "no boundary"},
        {type, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nbody without an end", "closing boundary"},
        {type, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"", "headers do not end"},
        {type, body_of("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n"), "Content-Disposition"},
        {type, body_of("--XyZ\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nx\r\n"), "not form-data"},
        {type, body_of("--XyZ\r\nno colon here\r\n\r\nx\r\n"), "no ':'"},
        {type, "--XyZjunk", "CRLF"},
    };
    for (const auto & c : cases) {
        auto parts = parse_multipart(c.content_type, c.body);
        ASSERT_FALSE(parts) << c.body;
        EXPECT_NE(parts.err().message.find(c.says), std::string::npos) << parts.err().message;
        EXPECT_EQ(parts.err().kind, tiergate::error_kind::invalid_request);
    }
}

TEST(Multipart, PartCountIsBounded) {
    std::string parts;
    for (int i = 0; i < 40; ++i) {
        parts += "--XyZ\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
    }
    auto r = parse_multipart(type, body_of(parts));
    ASSERT_FALSE(r);
    EXPECT_NE(r.err().message.find("more than 32 parts"), std::string::npos);
}
