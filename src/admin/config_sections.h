#pragma once
// Which top-level sections of a config file changed between two readings
// (models, router, guard, budgets, ...), for the report of a reload.

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace tiergate::admin {

struct section_changes {
    std::vector<std::string> changed;    // present in either and not the same
    std::vector<std::string> unchanged;  // present in both, the same
};

// Both are the documents' root mappings (a null node counts as empty).
section_changes compare_sections(const YAML::Node & before, const YAML::Node & after);

}  // namespace tiergate::admin
