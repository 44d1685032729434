#include "admin/config_sections.h"

#include <map>

namespace tiergate::admin {

namespace {

// Each top-level key and its section written out canonically.
std::map<std::string, std::string> sections_of(const YAML::Node & root) {
    std::map<std::string, std::string> out;
    if (!root.IsMap()) {
        return out;
    }
    for (const auto & entry : root) {
        YAML::Emitter text;
        text << entry.second;
        out[entry.first.as<std::string>("")] = text.c_str();
    }
    return out;
}

}  // namespace

section_changes compare_sections(const YAML::Node & before, const YAML::Node & after) {
    const auto a = sections_of(before);
    const auto b = sections_of(after);
    section_changes out;
    for (const auto & [name, text] : a) {
        auto it = b.find(name);
        (it != b.end() && it->second == text ? out.unchanged : out.changed).push_back(name);
    }
    for (const auto & [name, text] : b) {
        if (!a.contains(name)) {
            out.changed.push_back(name);
        }
    }
    return out;
}

}  // namespace tiergate::admin
