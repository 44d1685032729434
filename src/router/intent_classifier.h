#pragma once
// The runtime intent classifier: the intent (and its domain) of an utterance
// from an intent file, or "oos" when it is out of scope. classify() is const
// and thread-safe; it allocates nothing beyond the result's strings (none for
// names that fit the small-string buffer) and takes microseconds.

#include "core/error.h"
#include "router/hashed_features.h"
#include "router/intent_model.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::router {

struct intent_decision {
    std::string intent;      // predicted intent name; "oos" when out of scope
    std::string domain;      // its domain ("" when oos or unknown)
    double confidence = 0;   // calibrated probability of the top intent, 0..1
    bool out_of_scope = false;
};

class intent_classifier {
  public:
    static result<intent_classifier> load(const std::string & path);
    // model.check() must be empty (load() and training guarantee it).
    explicit intent_classifier(intent_model model);

    // When out of scope, confidence is the calibrated probability that the
    // utterance is not the best in-scope intent: max(p(oos), 1 - p(best)).
    intent_decision classify(std::string_view text) const;
    const std::vector<std::string> & intents() const;
    std::vector<std::string> domains() const;                // distinct, sorted
    std::string domain_of(const std::string & intent) const;  // "" when unknown

    const intent_model & model() const { return model_; }

    // The raw scores (logits before the temperature) and the calibrated
    // probabilities of every intent; out has intents().size() entries.
    void logits(std::string_view text, std::span<float> out) const;
    void probabilities(std::string_view text, std::span<float> out) const;

  private:

    intent_model model_;
    feature_extractor extractor_;
    size_t oos_ = 0;  // index of "oos", or intents().size()
};

}  // namespace tiergate::router
