#pragma once
// Metadata filters in the OpenAI vector-store shape:
//   {"type": "eq"|"ne"|"gt"|"gte"|"lt"|"lte"|"in"|"nin", "key": K, "value": V}
//   {"type": "and"|"or", "filters": [ ... ]}
// parsed once into a tree that is evaluated against each candidate chunk's
// document metadata. A key no document of the collection has is an error
// (a misspelled key would otherwise silently match nothing).

#include "core/error.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tiergate::rag {

class metadata_filter {
  public:
    // `known_keys`: the metadata keys the searched collections have; empty
    // skips the check. Nesting depth and filter count are bounded.
    static result<metadata_filter> parse(const nlohmann::json & spec, const std::vector<std::string> & known_keys);

    bool matches(const nlohmann::json & metadata) const;

    enum class op { eq, ne, gt, gte, lt, lte, in, nin, all_of, any_of };
    struct node {
        op kind = op::eq;
        std::string key;
        nlohmann::json value;
        std::vector<node> children;
    };

  private:
    node root_;
};

}  // namespace tiergate::rag
