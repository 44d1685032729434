#pragma once
// Which kinds of evidence the recognizers use; switching one off measures
// what it contributes (see `tiergate eval pii --without`).

namespace tiergate::guard {

struct recognizer_options {
    bool patterns = true;      // checked patterns: cards, IBANs, emails, phones, ...
    bool secrets = true;       // API keys, private keys, high-entropy tokens
    bool dictionaries = true;  // given names, surnames, places, street and company suffixes
    bool context = true;       // cue words before or after a span ("my name is", "Mr.", "lives in")
    bool shape = true;         // capitalization structure alone: sequences of two or more capitalized words
    bool shape_single_words = false;  // also single capitalized words mid-sentence (more recall, much less precision)
};

}  // namespace tiergate::guard
