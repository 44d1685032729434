#pragma once
// Decides which generated text may be shown: complete UTF-8 only, and never a
// tail that could still grow into a stop sequence. Pure; one per generation.

#include <string>
#include <string_view>
#include <vector>

namespace tiergate::engine {

class text_releaser {
  public:
    explicit text_releaser(std::vector<std::string> stop);

    // Appends a token's bytes; returns the text released by it (maybe empty).
    // After a stop sequence is found, stopped() is true and nothing more is released.
    std::string push(std::string_view piece);
    // End of generation: releases what was held back (without a stop sequence).
    std::string finish();

    bool stopped() const { return stopped_; }
    const std::string & text() const { return released_; }  // everything released so far

  private:
    std::vector<std::string> stop_;
    std::string pending_;   // generated, not yet released
    std::string released_;
    size_t scan_from_ = 0;  // where in pending_ a stop sequence may still start
    bool stopped_ = false;
};

}  // namespace tiergate::engine
