#include "eval/csv_reader.h"

#include <gtest/gtest.h>

using tiergate::eval::parse_csv;

TEST(csv_reader, plain_records_with_and_without_final_newline) {
    auto a = parse_csv("x,y\n1,2\n3,4\n");
    ASSERT_TRUE(a.ok());
    ASSERT_EQ(a->header, (std::vector<std::string>{"x", "y"}));
    ASSERT_EQ(a->rows.size(), 2u);
    EXPECT_EQ(a->rows[1][0], "3");
    auto b = parse_csv("x,y\n1,2\n3,4");
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->rows, a->rows);
    EXPECT_EQ(a->column("y"), 1u);
    EXPECT_EQ(a->column("z"), std::string_view::npos);
}

TEST(csv_reader, quoted_fields_hold_commas_quotes_and_line_breaks) {
    auto t = parse_csv("prompt,ok\r\n\"a, b\",True\r\n\"say \"\"hi\"\"\",False\r\n\"line1\nline2\r\nline3\",True\r\n");
    ASSERT_TRUE(t.ok()) << t.err().message;
    ASSERT_EQ(t->rows.size(), 3u);
    EXPECT_EQ(t->rows[0][0], "a, b");
    EXPECT_EQ(t->rows[1][0], "say \"hi\"");
    EXPECT_EQ(t->rows[2][0], "line1\nline2\r\nline3");
    EXPECT_EQ(t->rows[2][1], "True");
}

TEST(csv_reader, empty_fields_bom_and_blank_lines) {
    auto t = parse_csv("\xEF\xBB\xBF" "a,b,c\n,,\n\"\",x,\n\n1,2,3\n");
    ASSERT_TRUE(t.ok()) << t.err().message;
    EXPECT_EQ(t->header[0], "a");
    ASSERT_EQ(t->rows.size(), 3u);
    EXPECT_EQ(t->rows[0], (std::vector<std::string>{"", "", ""}));
    EXPECT_EQ(t->rows[1], (std::vector<std::string>{"", "x", ""}));
    EXPECT_EQ(t->rows[2][2], "3");
}

TEST(csv_reader, malformed_input_is_an_error_naming_the_line) {
    auto unterminated = parse_csv("a,b\n1,\"open\n2,3\n");
    ASSERT_FALSE(unterminated.ok());
    EXPECT_NE(unterminated.err().message.find("line 2"), std::string::npos);
    EXPECT_NE(unterminated.err().message.find("unterminated"), std::string::npos);

    auto stray_quote = parse_csv("a,b\n1,x\"y\n");
    ASSERT_FALSE(stray_quote.ok());
    EXPECT_NE(stray_quote.err().message.find("quote inside"), std::string::npos);

    auto after_quote = parse_csv("a,b\n\"x\"y,1\n");
    ASSERT_FALSE(after_quote.ok());
    EXPECT_NE(after_quote.err().message.find("after a closing quote"), std::string::npos);

    auto short_row = parse_csv("a,b\n1,2\n3\n");
    ASSERT_FALSE(short_row.ok());
    EXPECT_NE(short_row.err().message.find("line 3"), std::string::npos);
    EXPECT_NE(short_row.err().message.find("1 fields"), std::string::npos);

    EXPECT_FALSE(parse_csv("").ok());
}

TEST(csv_reader, line_numbers_count_breaks_inside_quotes) {
    auto t = parse_csv("a,b\n\"1\n2\n3\",x\n1,2,3\n");
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.err().message.find("line 5"), std::string::npos) << t.err().message;
}

TEST(csv_reader, missing_file_is_an_error) {
    auto t = tiergate::eval::read_csv_file("/nonexistent/dir/file.csv");
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.err().message.find("/nonexistent/dir/file.csv"), std::string::npos);
}
