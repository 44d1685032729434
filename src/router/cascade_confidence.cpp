#include "router/cascade_confidence.h"

#include <cstdio>

namespace tiergate::router {

namespace {

std::string fixed(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

}  // namespace

cascade_confidence::cascade_confidence(const cascade_settings & settings, int max_tokens)
    : settings_(settings), max_tokens_(max_tokens) {}

confidence_verdict cascade_confidence::add(float logprob, std::optional<float> margin) {
    const double lp = logprob > 0.0f ? 0.0 : logprob;
    if (tokens_ == 0 || lp < min_) {
        min_ = lp;
    }
    ++tokens_;
    sum_ += lp;
    if (margin) {
        margin_sum_ += *margin;
        ++margins_;
    }
    if (settings_.min_token_logprob && min_ < *settings_.min_token_logprob) {
        hopeless_ = true;
    }
    // Best case for the mean: every remaining token up to max_tokens has
    // log-probability 0, so the mean can reach at most sum / max_tokens.
    if (settings_.min_mean_logprob && max_tokens_ > 0 && tokens_ <= max_tokens_ &&
        sum_ / max_tokens_ < *settings_.min_mean_logprob) {
        hopeless_ = true;
    }
    return hopeless_ ? confidence_verdict::fail : confidence_verdict::undecided;
}

bool cascade_confidence::holds_now() const {
    if (hopeless_) {
        return false;
    }
    if (settings_.min_token_logprob && tokens_ > 0 && min_ < *settings_.min_token_logprob) {
        return false;
    }
    if (settings_.min_mean_logprob && tokens_ > 0 && mean_logprob() < *settings_.min_mean_logprob) {
        return false;
    }
    if (settings_.min_mean_margin && margins_ > 0 && mean_margin() < *settings_.min_mean_margin) {
        return false;
    }
    return true;
}

confidence_verdict cascade_confidence::final_verdict() const {
    if (tokens_ == 0) {
        return confidence_verdict::fail;  // an empty answer is no answer
    }
    return holds_now() ? confidence_verdict::pass : confidence_verdict::fail;
}

confidence_verdict cascade_confidence::early_verdict() const {
    if (hopeless_) {
        return confidence_verdict::fail;
    }
    if (settings_.decide_after_tokens <= 0 || tokens_ < settings_.decide_after_tokens) {
        return confidence_verdict::undecided;
    }
    return holds_now() ? confidence_verdict::pass : confidence_verdict::undecided;
}

std::string cascade_confidence::describe() const {
    return "mean_logprob=" + fixed(mean_logprob()) + ",min_logprob=" + fixed(min_logprob()) +
           ",mean_margin=" + fixed(mean_margin()) + " over " + std::to_string(tokens_) + " tokens";
}

std::string cascade_confidence::failure() const {
    if (tokens_ == 0) {
        return "empty answer";
    }
    if (settings_.min_token_logprob && tokens_ > 0 && min_ < *settings_.min_token_logprob) {
        return "min_logprob " + fixed(min_) + " < " + fixed(*settings_.min_token_logprob);
    }
    if (settings_.min_mean_logprob && tokens_ > 0 && mean_logprob() < *settings_.min_mean_logprob) {
        return "mean_logprob " + fixed(mean_logprob()) + " < " + fixed(*settings_.min_mean_logprob);
    }
    if (settings_.min_mean_margin && margins_ > 0 && mean_margin() < *settings_.min_mean_margin) {
        return "mean_margin " + fixed(mean_margin()) + " < " + fixed(*settings_.min_mean_margin);
    }
    if (hopeless_) {
        return "mean_logprob can no longer reach " + fixed(settings_.min_mean_logprob.value_or(0.0));
    }
    return "";
}

}  // namespace tiergate::router
