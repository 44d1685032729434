#include "providers/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using tiergate::providers::sse_event;
using tiergate::providers::sse_parser;

namespace {

std::vector<sse_event> parse_in_pieces(const std::string & stream, const std::vector<size_t> & cuts) {
    std::vector<sse_event> events;
    sse_parser p([&](sse_event && ev) { events.push_back(std::move(ev)); });
    size_t from = 0;
    for (size_t cut : cuts) {
        p.feed(std::string_view(stream).substr(from, cut - from));
        from = cut;
    }
    p.feed(std::string_view(stream).substr(from));
    return events;
}

void expect_same(const std::vector<sse_event> & got, const std::vector<sse_event> & want, const std::string & where) {
    ASSERT_EQ(got.size(), want.size()) << where;
    for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(got[i].event, want[i].event) << where << " event " << i;
        EXPECT_EQ(got[i].data, want[i].data) << where << " event " << i;
        EXPECT_EQ(got[i].id, want[i].id) << where << " event " << i;
    }
}

const std::string mixed_stream =
    "\xEF\xBB\xBF: keep-alive comment\r\n"
    "\r\n"
    "data: {\"a\":1}\r\n"
    "\r\n"
    "event: content_block_delta\n"
    "data: {\"b\":\n"
    "data:2}\n"
    "\n"
    "id: 7\r"
    "data:  two spaces\r"
    "\r"
    "retry: 100\n"
    "event: ignored-without-data\n"
    "\n"
    "data\n"
    "\n"
    "data: [DONE]\r\n"
    "\r\n";

const std::vector<sse_event> mixed_expected = {
    {"", "{\"a\":1}", ""},
    {"content_block_delta", "{\"b\":\n2}", ""},
    {"", " two spaces", "7"},
    {"", "", ""},
    {"", "[DONE]", ""},
};

}  // namespace

TEST(sse_parser, whole_stream_at_once) { expect_same(parse_in_pieces(mixed_stream, {}), mixed_expected, "whole"); }

TEST(sse_parser, every_single_split_point) {
    for (size_t cut = 0; cut <= mixed_stream.size(); ++cut) {
        expect_same(parse_in_pieces(mixed_stream, {cut}), mixed_expected, "cut at " + std::to_string(cut));
    }
}

TEST(sse_parser, every_pair_of_split_points) {
    for (size_t a = 0; a <= mixed_stream.size(); ++a) {
        for (size_t b = a; b <= mixed_stream.size(); ++b) {
            expect_same(parse_in_pieces(mixed_stream, {a, b}), mixed_expected,
                        "cuts at " + std::to_string(a) + "," + std::to_string(b));
        }
    }
}

TEST(sse_parser, byte_by_byte) {
    std::vector<size_t> cuts;
    for (size_t i = 1; i < mixed_stream.size(); ++i) {
        cuts.push_back(i);
    }
    expect_same(parse_in_pieces(mixed_stream, cuts), mixed_expected, "byte by byte");
}

TEST(sse_parser, crlf_split_between_feeds_is_one_line_end) {
    std::vector<sse_event> events;
    sse_parser p([&](sse_event && ev) { events.push_back(std::move(ev)); });
    p.feed("data: x\r");
    p.feed("\n\r");
    p.feed("\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "x");
}

TEST(sse_parser, unfinished_event_is_pending_not_dispatched) {
    std::vector<sse_event> events;
    sse_parser p([&](sse_event && ev) { events.push_back(std::move(ev)); });
    p.feed("data: {\"choices\":[]}\n\ndata: {\"cho");
    EXPECT_EQ(events.size(), 1u);
    EXPECT_GT(p.pending(), 0u);
    p.feed("ices\":[]}\n");
    EXPECT_EQ(events.size(), 1u);
    EXPECT_GT(p.pending(), 0u);
    p.feed("\n");
    EXPECT_EQ(events.size(), 2u);
    EXPECT_EQ(p.pending(), 0u);
}

TEST(sse_parser, partial_bom_followed_by_text_keeps_the_text) {
    std::vector<sse_event> events;
    sse_parser p([&](sse_event && ev) { events.push_back(std::move(ev)); });
    p.feed("\xEF");
    p.feed("x\n\ndata: y\n\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "y");
}
