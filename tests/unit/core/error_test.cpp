#include "core/error.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace tiergate;

TEST(error, openai_shape_has_all_four_fields) {
    auto body = nlohmann::json::parse(to_openai_json(error::invalid("bad temperature", "temperature")));
    ASSERT_TRUE(body.contains("error"));
    EXPECT_EQ(body["error"]["message"], "bad temperature");
    EXPECT_EQ(body["error"]["type"], "invalid_request_error");
    EXPECT_EQ(body["error"]["param"], "temperature");
    EXPECT_TRUE(body["error"]["code"].is_null());
}

TEST(error, status_mapping) {
    EXPECT_EQ(http_status(error_kind::invalid_request), 400);
    EXPECT_EQ(http_status(error_kind::authentication), 401);
    EXPECT_EQ(http_status(error_kind::permission), 403);
    EXPECT_EQ(http_status(error_kind::not_found), 404);
    EXPECT_EQ(http_status(error_kind::request_timeout), 408);
    EXPECT_EQ(http_status(error_kind::payload_too_large), 413);
    EXPECT_EQ(http_status(error_kind::rate_limited), 429);
    EXPECT_EQ(http_status(error_kind::upstream), 502);
}

TEST(error, message_with_invalid_utf8_still_serializes) {
    auto text = to_openai_json(error::invalid(std::string("bad \xff byte")));
    auto body = nlohmann::json::parse(text);
    EXPECT_NE(body["error"]["message"].get<std::string>().find("bad"), std::string::npos);
}

TEST(result, holds_value_or_error) {
    result<int> a = 3;
    result<int> b = error::invalid("nope");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(*a, 3);
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.err().message, "nope");
}
