#include <gtest/gtest.h>

#include <regex>

#include "admin/ui_assets.h"

namespace tiergate::admin {
namespace {

const ui_asset * find(std::string_view path) {
    for (const auto & a : ui_assets()) {
        if (a.path == path) {
            return &a;
        }
    }
    return nullptr;
}

TEST(admin_ui_assets, the_dashboard_is_built_in) {
    const auto * index = find("/ui/index.html");
    const auto * script = find("/ui/app.js");
    const auto * style = find("/ui/app.css");
    ASSERT_NE(index, nullptr);
    ASSERT_NE(script, nullptr);
    ASSERT_NE(style, nullptr);
    EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
    EXPECT_NE(index->body.find("/ui/app.js"), std::string_view::npos);
    EXPECT_GT(script->body.size(), 1000u);
}

// What the Content-Security-Policy would block anyway, and what would turn
// data into markup: none of it in the files.
TEST(admin_ui_assets, no_inline_code_no_markup_from_data_nothing_from_elsewhere) {
    const std::string index(find("/ui/index.html")->body);
    const std::string script(find("/ui/app.js")->body);
    EXPECT_FALSE(std::regex_search(index, std::regex("<script(?![^>]*\\bsrc=)[^>]*>", std::regex::icase)));
    EXPECT_FALSE(std::regex_search(index, std::regex("\\son[a-z]+\\s*=", std::regex::icase)));
    EXPECT_FALSE(std::regex_search(index, std::regex("style\\s*=", std::regex::icase)));
    for (const char * sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"}) {
        EXPECT_EQ(script.find(sink), std::string::npos) << sink;
    }
    // nothing fetched from another host (the SVG namespace is a name, not a fetch)
    const std::regex elsewhere("(https?:)?//(?!www\\.w3\\.org/)[a-z0-9.-]+\\.[a-z]{2,}", std::regex::icase);
    for (const auto & a : ui_assets()) {
        const std::string body(a.body);
        std::smatch m;
        EXPECT_FALSE(std::regex_search(body, m, elsewhere)) << a.path << ": " << m.str();
    }
}

}  // namespace
}  // namespace tiergate::admin
