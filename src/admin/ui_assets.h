#pragma once
// The dashboard's files (src/admin/ui), built into the binary.

#include <string_view>
#include <vector>

namespace tiergate::admin {

struct ui_asset {
    std::string_view path;          // /ui/index.html
    std::string_view content_type;  // text/html; charset=utf-8
    std::string_view body;
};

const std::vector<ui_asset> & ui_assets();

}  // namespace tiergate::admin
