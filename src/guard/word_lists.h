#pragma once
// The long word lists of the lexicon, one per file, as text: general
// knowledge written down for the guard (no list is taken from a data set).
// Lines starting with '#' are comments. Read once, by lexicon.cpp.

#include <string_view>

namespace tiergate::guard::word_lists {

std::string_view given_names();     // white space separated
std::string_view surnames();        // white space separated
std::string_view place_names();     // comma separated, names may hold spaces
std::string_view everyday_words();  // white space separated
std::string_view organization_names();  // comma separated, names may hold spaces

}  // namespace tiergate::guard::word_lists
