#include <gtest/gtest.h>

#include "api/query_string.h"

namespace tiergate::api {
namespace {

TEST(query_string, parameters_are_decoded) {
    auto q = query_params("/admin/v1/ledger?team=%3Cb%3E+x&limit=5&flag&&cursor=1.a%2Fb");
    ASSERT_TRUE(q) << q.err().message;
    EXPECT_EQ(q->at("team"), "<b> x");
    EXPECT_EQ(q->at("limit"), "5");
    EXPECT_EQ(q->at("flag"), "");
    EXPECT_EQ(q->at("cursor"), "1.a/b");
    EXPECT_EQ(q->size(), 4u);
    EXPECT_TRUE(query_params("/path")->empty());
    EXPECT_EQ(query_value("/p?a=1&b=%zz", "b"), "%zz");
    EXPECT_FALSE(query_value("/p?a=1", "b"));
    EXPECT_EQ(url_decode("r+d%2B", false), "r+d+");  // a path keeps its '+'
    EXPECT_EQ(url_decode("r+d"), "r d");
    EXPECT_EQ(path_segments("/admin/v1/budgets/team/r+d%2Fx", "/admin/v1/"),
              (std::vector<std::string>{"budgets", "team", "r+d/x"}));
    EXPECT_TRUE(path_segments("/v1/", "/v1/").empty());
}

TEST(query_string, duplicates_bad_utf8_and_floods_are_refused) {
    auto twice = query_params("/p?a=1&a=2");
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.err().param, "a");
    EXPECT_FALSE(query_params("/p?a=%ff%fe"));
    std::string many = "/p?";
    for (int i = 0; i < 65; ++i) {
        many += "p" + std::to_string(i) + "=1&";
    }
    EXPECT_FALSE(query_params(many));
}

}  // namespace
}  // namespace tiergate::api
