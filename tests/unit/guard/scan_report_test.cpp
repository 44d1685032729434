#include "guard/scan_report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace tiergate::guard;

TEST(run_guard_scan, prints_types_and_offsets_as_json_without_values) {
    std::istringstream in("mail jane@example.com or 10.0.0.1");
    std::ostringstream out;
    EXPECT_EQ(run_guard_scan(in, out, true), 0);
    const auto j = nlohmann::json::parse(out.str());
    ASSERT_EQ(j["findings"].size(), 2u);
    EXPECT_EQ(j["findings"][0]["type"], "EMAIL_ADDRESS");
    EXPECT_EQ(j["findings"][0]["start"], 5);
    EXPECT_EQ(j["findings"][0]["end"], 21);
    EXPECT_EQ(j["findings"][1]["type"], "IP_ADDRESS");
    EXPECT_EQ(j["counts"]["EMAIL_ADDRESS"], 1);
    EXPECT_EQ(out.str().find("jane"), std::string::npos);
}

TEST(run_guard_scan, prints_lines) {
    std::istringstream in("ssn 474-49-7577");
    std::ostringstream out;
    EXPECT_EQ(run_guard_scan(in, out, false), 0);
    EXPECT_NE(out.str().find("US_SSN\t4\t15\t"), std::string::npos);
    EXPECT_NE(out.str().find("1 finding\n"), std::string::npos);
}
