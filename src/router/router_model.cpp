#include "router/router_model.h"

#include <cmath>

namespace tiergate::router {

const char * to_string(pick_rule rule) {
    switch (rule) {
        case pick_rule::threshold: return "threshold";
        case pick_rule::tradeoff: return "tradeoff";
    }
    return "threshold";
}

result<pick_rule> parse_pick_rule(std::string_view text) {
    if (text == "threshold") {
        return pick_rule::threshold;
    }
    if (text == "tradeoff") {
        return pick_rule::tradeoff;
    }
    return error::invalid("unknown pick rule '" + std::string(text) + "': use threshold or tradeoff", "rule");
}

void router_model::set_parameter(double value) {
    if (rule == pick_rule::threshold) {
        threshold = value;
    } else {
        lambda = value;
    }
}

std::string router_model::check() const {
    const size_t k = models.size();
    if (k == 0) {
        return "router has no models";
    }
    if (costs.size() != k) {
        return "router has " + std::to_string(costs.size()) + " costs for " + std::to_string(k) + " models";
    }
    for (double c : costs) {
        if (!std::isfinite(c) || c < 0) {
            return "router has a negative or non-finite cost";
        }
    }
    if (bias.size() != k) {
        return "router has " + std::to_string(bias.size()) + " biases for " + std::to_string(k) + " models";
    }
    const feature_extractor extractor(features);
    if (extractor.config().hash_bits != features.hash_bits) {
        return "router hash_bits out of range 4..26";
    }
    if (extractor.config().dense_set != features.dense_set) {
        return "router dense_set is not 1 or 2";
    }
    if (weights.size() != extractor.dimension() * k) {
        return "router has " + std::to_string(weights.size()) + " weights, expected " +
               std::to_string(extractor.dimension() * k);
    }
    if (!std::isfinite(threshold) || !std::isfinite(lambda)) {
        return "router threshold or lambda is not finite";
    }
    return {};
}

}  // namespace tiergate::router
