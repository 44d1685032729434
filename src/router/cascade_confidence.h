#pragma once
// The cascade's confidence in the first model's answer, updated token by
// token from the token log-probabilities the model reports while decoding.
//
// Criteria (each optional; all configured ones must hold):
//   mean_logprob   mean of the chosen tokens' log-probabilities
//   token_logprob  the least probable chosen token
//   mean_margin    mean of (top-1 - top-2) log-probability over the tokens
//                  that report an alternative
// The verdict is `fail` as soon as a criterion can no longer hold whatever
// the remaining tokens are: a token below min_token_logprob, or a sum of
// log-probabilities so low that even max_tokens tokens of probability 1
// could not lift the mean over min_mean_logprob. That is when decoding stops
// early.

#include <cstdint>
#include <optional>
#include <string>

#include "router/route_settings.h"

namespace tiergate::router {

enum class confidence_verdict { undecided, pass, fail };

class cascade_confidence {
  public:
    // max_tokens bounds the answer's length (for the early-stop bound); <= 0: unbounded.
    cascade_confidence(const cascade_settings & settings, int max_tokens);

    // One generated token: its log-probability and, when the model reported
    // two or more candidates, the margin between the two most probable.
    // Returns fail when the answer can no longer pass (stop decoding).
    confidence_verdict add(float logprob, std::optional<float> margin);

    // The verdict on the tokens so far, treating the answer as complete.
    confidence_verdict final_verdict() const;
    // Once decide_after_tokens tokens are in: pass if every criterion holds
    // on them. undecided before that, or when decide_after_tokens is 0.
    confidence_verdict early_verdict() const;

    int tokens() const { return tokens_; }
    double mean_logprob() const { return tokens_ > 0 ? sum_ / tokens_ : 0.0; }
    double min_logprob() const { return min_; }
    double mean_margin() const { return margins_ > 0 ? margin_sum_ / margins_ : 0.0; }
    // "mean_logprob=-0.84,min_logprob=-3.10,mean_margin=1.92 over 17 tokens"
    std::string describe() const;
    // Which criterion failed, empty when none: "mean_logprob -2.31 < -1.50".
    std::string failure() const;

  private:
    bool holds_now() const;

    cascade_settings settings_;
    int max_tokens_;
    int tokens_ = 0;
    double sum_ = 0.0;
    double min_ = 0.0;
    double margin_sum_ = 0.0;
    int margins_ = 0;
    bool hopeless_ = false;
};

}  // namespace tiergate::router
