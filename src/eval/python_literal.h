#pragma once
// Python list-of-strings literals as written by repr(): ['a', "b's"].

#include "core/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace tiergate::eval {

// Parses a list of single- or double-quoted strings with Python escapes
// (\\ \' \" \n \r \t \a \b \f \v \ooo \xhh \uhhhh \Uhhhhhhhh, backslash-newline);
// unknown escapes keep the backslash, as Python does. Code points are
// written as UTF-8. A trailing comma is allowed.
result<std::vector<std::string>> parse_python_string_list(std::string_view text);

}  // namespace tiergate::eval
