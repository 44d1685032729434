#include "rag/extract.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace tiergate;
using namespace tiergate::rag;

namespace {

std::string read_fixture(const std::string & name) {
    std::ifstream in(std::string(TIERGATE_SOURCE_DIR) + "/tests/data/rag/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST(RagExtract, FormatFromFileName) {
    EXPECT_EQ(*format_of("a/b/notes.md"), file_format::markdown);
    EXPECT_EQ(*format_of("PAGE.HTM"), file_format::html);
    EXPECT_EQ(*format_of("x.pdf"), file_format::pdf);
    EXPECT_EQ(*format_of("rows.ndjson"), file_format::jsonl);
    EXPECT_EQ(*format_of("readme.txt"), file_format::text);
    auto bad = format_of("image.png");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.err().message.find("image.png"), std::string::npos);
}

TEST(RagExtract, InvalidUtf8NamesFileAndOffset) {
    const std::string bytes = std::string("hello ") + "\xC3\x28" + " world";
    auto r = extract_documents(bytes, file_format::text, "dir/bad.txt");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().kind, error_kind::invalid_request);
    EXPECT_NE(r.err().message.find("dir/bad.txt"), std::string::npos) << r.err().message;
    EXPECT_NE(r.err().message.find("byte offset 6"), std::string::npos) << r.err().message;
}

TEST(RagExtract, OverTheSizeLimitIs413) {
    extract_limits limits;
    limits.max_bytes = 10;
    auto r = extract_documents(std::string(11, 'a'), file_format::text, "big.txt", limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().kind, error_kind::payload_too_large);
}

TEST(RagExtract, HtmlDropsScriptsAndStyles) {
    const std::string html =
        "<html><head><title>T</title><style>body{color:red}</style></head><body>"
        "<h1>Wing flutter</h1><script>alert('x')</script><p>The <b>boundary</b> layer.</p>"
        "<noscript>enable js</noscript><p>Second paragraph &amp; more</p></body></html>";
    auto r = html_to_text(html, "page.html");
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_NE(r->find("Wing flutter"), std::string::npos);
    EXPECT_NE(r->find("The boundary layer."), std::string::npos) << *r;
    EXPECT_NE(r->find("Second paragraph & more"), std::string::npos) << *r;
    EXPECT_EQ(r->find("alert"), std::string::npos) << *r;
    EXPECT_EQ(r->find("color:red"), std::string::npos) << *r;
    // block elements become line breaks, so the chunker sees paragraphs
    EXPECT_LT(r->find("Wing flutter"), r->find('\n'));
}

TEST(RagExtract, HostileHtmlIsBounded) {
    // deep nesting must not recurse the stack away
    std::string html;
    for (int i = 0; i < 200000; ++i) {
        html += "<div>";
    }
    html += "deep text";
    auto r = html_to_text(html, "deep.html");
    if (r) {
        EXPECT_NE(r->find("deep"), std::string::npos);
    } else {
        EXPECT_EQ(r.err().kind, error_kind::invalid_request);
    }
}

TEST(RagExtract, PdfText) {
    const std::string pdf = read_fixture("plain.pdf");
    ASSERT_FALSE(pdf.empty());
    auto docs = extract_documents(pdf, file_format::pdf, "files/plain.pdf");
    ASSERT_TRUE(docs) << docs.err().message;
    ASSERT_EQ(docs->size(), 1u);
    EXPECT_EQ((*docs)[0].id, "plain.pdf");
    EXPECT_NE((*docs)[0].text.find("Turbine blade cooling"), std::string::npos) << (*docs)[0].text;
    EXPECT_NE((*docs)[0].text.find("Mach 2"), std::string::npos);
}

TEST(RagExtract, EncryptedAndBrokenPdfsAreClearErrors) {
    auto enc = extract_documents(read_fixture("encrypted.pdf"), file_format::pdf, "enc.pdf");
    ASSERT_FALSE(enc);
    EXPECT_EQ(enc.err().code, "encrypted_pdf");
    auto broken = extract_documents("%PDF-1.4\nthis is not a pdf body\n", file_format::pdf, "broken.pdf");
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.err().code, "invalid_pdf");
    EXPECT_NE(broken.err().message.find("broken.pdf"), std::string::npos);
    auto empty = extract_documents("", file_format::pdf, "empty.pdf");
    ASSERT_FALSE(empty);
}

TEST(RagExtract, JsonLinesRowsAndMetadata) {
    const std::string rows = "{\"id\":\"a\",\"title\":\"Alpha\",\"text\":\"first\",\"year\":1962,\"lab\":\"NACA\"}\n"
                             "\n"
                             "{\"id\":7,\"text\":\"second\"}\n"
                             "{\"text\":\"third\"}";
    auto docs = extract_documents(rows, file_format::jsonl, "set.jsonl");
    ASSERT_TRUE(docs) << docs.err().message;
    ASSERT_EQ(docs->size(), 3u);
    EXPECT_EQ((*docs)[0].id, "a");
    EXPECT_EQ((*docs)[0].title, "Alpha");
    EXPECT_EQ((*docs)[0].metadata["year"], 1962);
    EXPECT_EQ((*docs)[0].metadata["lab"], "NACA");
    EXPECT_FALSE((*docs)[0].metadata.contains("text"));
    EXPECT_EQ((*docs)[1].id, "7");
    EXPECT_EQ((*docs)[2].id, "set:4");  // the line number when there is no id
}

TEST(RagExtract, JsonLinesErrorsNameTheLine) {
    auto bad_json = extract_documents("{\"text\":\"ok\"}\n{nope\n", file_format::jsonl, "x.jsonl");
    ASSERT_FALSE(bad_json);
    EXPECT_NE(bad_json.err().message.find("line 2"), std::string::npos) << bad_json.err().message;
    auto bad_text = extract_documents("{\"text\":5}\n", file_format::jsonl, "x.jsonl");
    ASSERT_FALSE(bad_text);
    EXPECT_NE(bad_text.err().message.find("\"text\""), std::string::npos);
    auto bad_utf8 = extract_documents("{\"text\":\"ok\"}\n{\"text\":\"\xFF\"}\n", file_format::jsonl, "x.jsonl");
    ASSERT_FALSE(bad_utf8);
    EXPECT_NE(bad_utf8.err().message.find("byte offset 23"), std::string::npos) << bad_utf8.err().message;
    extract_limits limits;
    limits.max_documents = 1;
    auto many = extract_documents("{\"text\":\"a\"}\n{\"text\":\"b\"}\n", file_format::jsonl, "x.jsonl", limits);
    ASSERT_FALSE(many);
}
