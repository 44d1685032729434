#pragma once
// The guard's scanner: runs the built-in detectors and the configured custom
// patterns over a text and returns non-overlapping findings in text order.
// Scanning is linear in the text (hand-written scanners and RE2), never
// throws, and accepts any bytes, including invalid UTF-8.

#include "core/error.h"
#include "guard/finding.h"
#include "guard/recognizer_options.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace tiergate::guard {

// A pattern from the config: findings of `regex` are reported as `type`
// (entity_type::custom when the config names a type of its own).
struct custom_pattern {
    std::string name;
    std::string regex;  // RE2 syntax
    entity_type type = entity_type::custom;
    float score = 0.9f;
};

class scanner {
  public:
    scanner();
    ~scanner();
    scanner(scanner &&) noexcept;
    scanner & operator=(scanner &&) noexcept;

    // Compiles the custom patterns; an invalid one is an error naming it.
    static result<scanner> make(recognizer_options options, std::vector<custom_pattern> patterns = {});

    std::vector<finding> scan(std::string_view text) const;

    const std::vector<custom_pattern> & patterns() const { return patterns_; }
    const recognizer_options & options() const { return options_; }

  private:
    recognizer_options options_;
    std::vector<custom_pattern> patterns_;
    std::vector<std::unique_ptr<re2::RE2>> compiled_;
};

// Scans with the built-in detectors and default options.
std::vector<finding> scan(std::string_view text);

// Keeps, among overlapping findings, the one of the stronger type (checked
// patterns over names), then the higher score, then the longer span.
void resolve_overlaps(std::vector<finding> & findings);

}  // namespace tiergate::guard
