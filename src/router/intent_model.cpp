#include "router/intent_model.h"

#include <cmath>
#include <unordered_set>

namespace tiergate::router {

size_t intent_model::oos_index() const {
    for (size_t i = 0; i < intents.size(); ++i) {
        if (intents[i] == oos_intent) {
            return i;
        }
    }
    return intents.size();
}

std::string intent_model::check() const {
    const size_t k = intents.size();
    if (k < 2) {
        return "intent model has " + std::to_string(k) + " intents, at least 2 are needed";
    }
    if (k > max_intent_count) {
        return "intent model has " + std::to_string(k) + " intents, the limit is " + std::to_string(max_intent_count);
    }
    std::unordered_set<std::string> seen;
    for (const std::string & name : intents) {
        if (name.empty() || name.size() > max_intent_name_bytes) {
            return "intent model has an empty intent name or one longer than " +
                   std::to_string(max_intent_name_bytes) + " bytes";
        }
        if (!seen.insert(name).second) {
            return "intent model names intent '" + name + "' twice";
        }
    }
    if (domains.size() != k) {
        return "intent model has " + std::to_string(domains.size()) + " domains for " + std::to_string(k) + " intents";
    }
    for (size_t i = 0; i < k; ++i) {
        if (domains[i].size() > max_intent_name_bytes) {
            return "intent model has a domain name longer than " + std::to_string(max_intent_name_bytes) + " bytes";
        }
        if (intents[i] == oos_intent && !domains[i].empty()) {
            return "intent model gives the oos class a domain";
        }
    }
    if (bias.size() != k) {
        return "intent model has " + std::to_string(bias.size()) + " biases for " + std::to_string(k) + " intents";
    }
    const feature_extractor extractor(features);
    if (extractor.config().hash_bits != features.hash_bits) {
        return "intent model hash_bits out of range 4..26";
    }
    if (extractor.config().dense_set != features.dense_set) {
        return "intent model dense_set is not 1 or 2";
    }
    if (extractor.config().char_max != features.char_max) {
        return "intent model char_max is below char_min";
    }
    if (weights.size() != extractor.dimension() * k) {
        return "intent model has " + std::to_string(weights.size()) + " weights, expected " +
               std::to_string(extractor.dimension() * k);
    }
    // bounded, so that no sum of them overflows at run time
    for (float b : bias) {
        if (!std::isfinite(b) || std::fabs(b) > max_intent_weight) {
            return "intent model has a non-finite bias or one beyond +-1e6";
        }
    }
    for (float w : weights) {
        if (!std::isfinite(w) || std::fabs(w) > max_intent_weight) {
            return "intent model has a non-finite weight or one beyond +-1e6";
        }
    }
    if (!(temperature >= 1e-3 && temperature <= 1e6)) {
        return "intent model temperature must be in 1e-3..1e6";
    }
    if (!std::isfinite(oos_threshold) || oos_threshold < 0 || oos_threshold > 1) {
        return "intent model oos_threshold must be in 0..1";
    }
    return {};
}

}  // namespace tiergate::router
