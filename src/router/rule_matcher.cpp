#include "router/rule_matcher.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace tiergate::router {

namespace {

bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

}  // namespace

bool contains_word(std::string_view lowered, std::string_view word) {
    if (word.empty()) {
        return false;
    }
    size_t from = 0;
    while (true) {
        const size_t at = lowered.find(word, from);
        if (at == std::string_view::npos) {
            return false;
        }
        const size_t end = at + word.size();
        const bool left = at == 0 || !word_char(static_cast<unsigned char>(lowered[at - 1])) ||
                          !word_char(static_cast<unsigned char>(word.front()));
        const bool right = end == lowered.size() || !word_char(static_cast<unsigned char>(lowered[end])) ||
                           !word_char(static_cast<unsigned char>(word.back()));
        if (left && right) {
            return true;
        }
        from = at + 1;
    }
}

rule_matcher::rule_matcher(std::vector<route_rule> rules) : rules_(std::move(rules)) {
    RE2::Options options;
    options.set_log_errors(false);
    for (const auto & r : rules_) {
        if (r.when.regex.empty()) {
            regexes_.push_back(nullptr);
        } else {
            regexes_.push_back(std::make_unique<RE2>(r.when.regex, options));
        }
        any_keywords_ = any_keywords_ || !r.when.keywords.empty();
    }
}

rule_matcher::~rule_matcher() = default;
rule_matcher::rule_matcher(rule_matcher &&) noexcept = default;
rule_matcher & rule_matcher::operator=(rule_matcher &&) noexcept = default;

bool rule_matcher::matches(size_t i, const route_request & request, std::string_view lowered) const {
    const rule_condition & c = rules_[i].when;
    for (const auto & [name, values] : c.headers) {
        if (request.headers == nullptr) {
            return false;
        }
        auto it = request.headers->find(name);
        if (it == request.headers->end()) {
            return false;
        }
        if (!values.empty() && std::find(values.begin(), values.end(), it->second) == values.end()) {
            return false;
        }
    }
    if (!c.users.empty() && std::find(c.users.begin(), c.users.end(), request.user) == c.users.end()) {
        return false;
    }
    if (c.min_prompt_tokens && request.prompt_tokens < *c.min_prompt_tokens) {
        return false;
    }
    if (c.max_prompt_tokens && request.prompt_tokens > *c.max_prompt_tokens) {
        return false;
    }
    if (c.json_schema && *c.json_schema != request.json_schema) {
        return false;
    }
    if (c.tools && *c.tools != request.tools) {
        return false;
    }
    if (!c.tool_names.empty()) {
        const auto * offered = request.tool_definitions;
        const bool any = offered != nullptr && std::any_of(offered->begin(), offered->end(), [&](const tool_definition & t) {
                             return std::find(c.tool_names.begin(), c.tool_names.end(), t.name) != c.tool_names.end();
                         });
        if (!any) {
            return false;
        }
    }
    if (!c.keywords.empty()) {
        const bool any = std::any_of(c.keywords.begin(), c.keywords.end(),
                                     [&](const std::string & k) { return contains_word(lowered, k); });
        if (!any) {
            return false;
        }
    }
    if (regexes_[i] != nullptr) {
        const auto text = request.conversation_text;
        if (!RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *regexes_[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace tiergate::router
