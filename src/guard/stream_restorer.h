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
    explicit stream_restorer(const pseudonymizer & names) : names_(names) {}

    // The restored text that can be sent now.
    std::string feed(std::string_view chunk);

    // The held-back tail, at the end of the stream.
    std::string finish();

    size_t held_back() const { return pending_.size(); }

  private:
    const pseudonymizer & names_;
    std::string pending_;
};

}  // namespace tiergate::guard
