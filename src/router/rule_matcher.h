#pragma once
// Compiled route rules: the first rule whose conditions all hold decides.

#include <memory>
#include <string>
#include <vector>

#include "router/route_request.h"
#include "router/route_settings.h"

namespace re2 {
class RE2;
}

namespace tiergate::router {

class rule_matcher {
  public:
    explicit rule_matcher(std::vector<route_rule> rules);
    ~rule_matcher();
    rule_matcher(rule_matcher &&) noexcept;
    rule_matcher & operator=(rule_matcher &&) noexcept;

    // Whether rule i holds for the request. `lowered` is the conversation
    // text in lower case (computed once per request by the caller).
    bool matches(size_t i, const route_request & request, std::string_view lowered) const;
    const std::vector<route_rule> & rules() const { return rules_; }
    bool needs_lowered_text() const { return any_keywords_; }

  private:
    std::vector<route_rule> rules_;
    std::vector<std::unique_ptr<re2::RE2>> regexes_;  // one per rule, null without a regex
    bool any_keywords_ = false;
};

// Whether `word` (lower case) occurs in `lowered` as a whole word.
bool contains_word(std::string_view lowered, std::string_view word);

}  // namespace tiergate::router
