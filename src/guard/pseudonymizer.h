#pragma once
// The value <-> placeholder map of one conversation. The same value of the
// same type always gets the same placeholder ("<PERSON_1>"), across every
// message of the conversation, so the upstream model sees consistent names;
// restore() puts the values back into the answer.

#include "guard/entity_type.h"
#include "guard/finding.h"

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tiergate::guard {

class pseudonymizer {
  public:
    // The placeholder of value, assigning the next number of its type on first use.
    const std::string & placeholder_for(entity_type type, std::string_view value);

    // The value a placeholder stands for, if it is one of this conversation's.
    std::optional<std::string_view> value_of(std::string_view placeholder) const;

    // True when text is the beginning of at least one known placeholder.
    bool is_placeholder_prefix(std::string_view text) const;

    // Placeholder-shaped text already in a conversation ("<PERSON_2>" typed by
    // the user) is never assigned to a value, so that restoring the answer
    // leaves it as it was. Call it on every message before pseudonymizing any.
    void reserve_literals(std::string_view text);
    // text with each finding replaced by its placeholder; findings must be
    // sorted and non-overlapping (as scanner::scan returns them). Reserves
    // the text's own literals first.
    std::string pseudonymize(std::string_view text, const std::vector<finding> & findings);

    // text with every known placeholder replaced by its value.
    std::string restore(std::string_view text) const;
    // The other way: text with every occurrence of a known value, standing as
    // a word of its own, replaced by its placeholder (longer values first, so
    // that "Ann Lee" is not taken as "Ann" and the rest; "Annual" keeps its "Ann"). What an answer says in the conversation's
    // placeholders, as the answer cache keeps it.
    std::string conceal(std::string_view text) const;

    size_t size() const { return to_value_.size(); }
    size_t longest_placeholder() const { return longest_; }

  private:
    std::unordered_map<std::string, std::string> to_placeholder_;  // type name + '\0' + value -> placeholder
    std::map<std::string, std::string, std::less<>> to_value_;     // placeholder -> value, ordered for prefix lookups
    std::set<std::string, std::less<>> literals_;                  // reserved, never assigned
    std::array<uint32_t, entity_type_count> next_{};
    size_t longest_ = 0;
};

// "<PERSON>": what redaction writes.
std::string redaction_marker(entity_type type);

}  // namespace tiergate::guard
