#pragma once
// Restores placeholders in a streamed answer. Chunks may split a placeholder
// anywhere ("<PER" + "SON_1>"); the restorer holds back only a tail that is
// the beginning of a known placeholder and emits everything else at once.

#include "guard/pseudonymizer.h"

#include <string>
#include <string_view>

namespace tiergate::guard {

class stream_restorer {
  public:
    // inside_json: the text is JSON (a tool call's arguments), so a restored
    // value is escaped as the inside of a JSON string.
    explicit stream_restorer(const pseudonymizer & names, bool inside_json = false)
        : names_(names), inside_json_(inside_json) {}

    // The restored text that can be sent now.
    std::string feed(std::string_view chunk);

    // The held-back tail, at the end of the stream.
    std::string finish();

    size_t held_back() const { return pending_.size(); }

  private:
    const pseudonymizer & names_;
    bool inside_json_ = false;
    std::string pending_;
};

}  // namespace tiergate::guard
