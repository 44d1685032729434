// Every file under tests/data/config/{valid,invalid} is one case; see the
// README there for the header lines a case may carry.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "config/load_config.h"

namespace tiergate::config {
namespace {

const std::filesystem::path data_dir = std::filesystem::path(TIERGATE_SOURCE_DIR) / "tests/data/config";

struct golden_case {
    std::filesystem::path file;
    std::vector<std::string> expect;
    std::vector<std::string> reject;
    std::map<std::string, std::string> env;
};

std::vector<std::filesystem::path> yaml_files(const std::string & sub) {
    std::vector<std::filesystem::path> out;
    for (const auto & entry : std::filesystem::directory_iterator(data_dir / sub)) {
        if (entry.path().extension() == ".yaml") {
            out.push_back(entry.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

golden_case read_case(const std::filesystem::path & file) {
    golden_case out;
    out.file = file;
    out.env["TIERGATE_MODEL_DIR"] = std::string(TIERGATE_SHARED_DIR) + "/models";
    std::ifstream in(file);
    std::string line;
    auto after = [&](const std::string & prefix) -> std::optional<std::string> {
        if (line.rfind(prefix, 0) == 0) {
            return line.substr(prefix.size());
        }
        return std::nullopt;
    };
    while (std::getline(in, line)) {
        if (auto text = after("# expect: ")) {
            out.expect.push_back(*text);
        } else if (auto text = after("# reject: ")) {
            out.reject.push_back(*text);
        } else if (auto text = after("# env: ")) {
            auto eq = text->find('=');
            out.env[text->substr(0, eq)] = eq == std::string::npos ? "" : text->substr(eq + 1);
        }
    }
    return out;
}

std::string case_name(const testing::TestParamInfo<std::filesystem::path> & info) {
    std::string name = info.param.stem().string();
    std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
    return name;
}

class valid_config : public testing::TestWithParam<std::filesystem::path> {};
class invalid_config : public testing::TestWithParam<std::filesystem::path> {};

TEST_P(valid_config, loads_without_errors) {
    golden_case c = read_case(GetParam());
    load_result loaded = load_config_file(c.file, fixed_env(c.env));
    EXPECT_TRUE(loaded.ok()) << loaded.errors_text();
    if (loaded.ok()) {
        EXPECT_FALSE(loaded.value->models.empty());
    }
}

TEST_P(invalid_config, fails_with_expected_errors) {
    golden_case c = read_case(GetParam());
    ASSERT_FALSE(c.expect.empty()) << c.file << " has no `# expect:` line";
    load_result loaded = load_config_file(c.file, fixed_env(c.env));
    ASSERT_FALSE(loaded.ok()) << c.file << " loaded but should fail";
    std::string text = loaded.errors_text();
    for (const auto & expected : c.expect) {
        EXPECT_NE(text.find(expected), std::string::npos) << "expected: " << expected << "\ngot:\n" << text;
    }
    for (const auto & rejected : c.reject) {
        EXPECT_EQ(text.find(rejected), std::string::npos) << "must not appear: " << rejected << "\ngot:\n" << text;
    }
    // Every error names the file.
    for (const auto & err : loaded.errors) {
        EXPECT_EQ(err.file, c.file.string());
    }
}

INSTANTIATE_TEST_SUITE_P(golden, valid_config, testing::ValuesIn(yaml_files("valid")), case_name);
INSTANTIATE_TEST_SUITE_P(golden, invalid_config, testing::ValuesIn(yaml_files("invalid")), case_name);

TEST(config_golden, folders_hold_cases) {
    EXPECT_GE(yaml_files("valid").size(), 3u);
    EXPECT_GE(yaml_files("invalid").size(), 20u);
}

}  // namespace
}  // namespace tiergate::config
