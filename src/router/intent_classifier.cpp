#include "router/intent_classifier.h"

#include "router/intent_file.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace tiergate::router {
namespace {

// Scratch for one decision: on the stack for up to stack_intents intents,
// else a per-thread buffer that is grown once.
constexpr size_t stack_intents = 512;

template <class body>
void with_scratch(size_t k, body && run) {
    if (k <= stack_intents) {
        std::array<float, stack_intents> buffer;
        run(std::span<float>(buffer.data(), k));
        return;
    }
    thread_local std::vector<float> buffer;
    if (buffer.size() < k) {
        buffer.resize(k);
    }
    run(std::span<float>(buffer.data(), k));
}

}  // namespace

result<intent_classifier> intent_classifier::load(const std::string & path) {
    auto model = load_intents(path);
    if (!model) {
        return model.err();
    }
    return intent_classifier(std::move(*model));
}

intent_classifier::intent_classifier(intent_model model)
    : model_(std::move(model)), extractor_(model_.features), oos_(model_.oos_index()) {}

const std::vector<std::string> & intent_classifier::intents() const { return model_.intents; }

std::vector<std::string> intent_classifier::domains() const {
    std::vector<std::string> out;
    for (const std::string & d : model_.domains) {
        if (!d.empty()) {
            out.push_back(d);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string intent_classifier::domain_of(const std::string & intent) const {
    for (size_t i = 0; i < model_.intents.size(); ++i) {
        if (model_.intents[i] == intent) {
            return model_.domains[i];
        }
    }
    return {};
}

void intent_classifier::logits(std::string_view text, std::span<float> z) const {
    const size_t k = model_.intents.size();
    std::fill(z.begin(), z.end(), 0.0f);
    const float * weights = model_.weights.data();
    float * acc = z.data();
    const size_t count = extractor_.for_each_hashed(text, [&](uint32_t bucket) {
        const float * row = weights + size_t{bucket} * k;
        for (size_t c = 0; c < k; ++c) {
            acc[c] += row[c];
        }
    });
    const float scale = count > 0 ? static_cast<float>(1.0 / std::sqrt(static_cast<double>(count))) : 0.0f;
    const dense_features dense = extractor_.dense(text);
    const float * dense_rows = weights + size_t{extractor_.bucket_count()} * k;
    const size_t dense_count = extractor_.dense_count();
    for (size_t c = 0; c < k; ++c) {
        acc[c] = model_.bias[c] + acc[c] * scale;
    }
    for (size_t j = 0; j < dense_count; ++j) {
        if (dense[j] == 0.0f) {
            continue;
        }
        const float * row = dense_rows + j * k;
        for (size_t c = 0; c < k; ++c) {
            acc[c] += dense[j] * row[c];
        }
    }
}

void intent_classifier::probabilities(std::string_view text, std::span<float> p) const {
    logits(text, p);
    const float inverse_t = static_cast<float>(1.0 / model_.temperature);
    float top = p[0];
    for (float v : p) {
        top = std::max(top, v);
    }
    float sum = 0;
    for (float & v : p) {
        v = std::exp((v - top) * inverse_t);
        sum += v;
    }
    for (float & v : p) {
        v /= sum;
    }
}

intent_decision intent_classifier::classify(std::string_view text) const {
    const size_t k = model_.intents.size();
    intent_decision decision;
    with_scratch(k, [&](std::span<float> p) {
        probabilities(text, p);
        size_t best = k;  // the best in-scope intent
        for (size_t c = 0; c < k; ++c) {
            if (c != oos_ && (best == k || p[c] > p[best])) {
                best = c;
            }
        }
        const float p_oos = oos_ < k ? p[oos_] : 0.0f;
        if (p_oos > p[best] || p[best] < model_.oos_threshold) {
            decision.intent = oos_intent;
            decision.out_of_scope = true;
            decision.confidence = std::max<double>(p_oos, 1.0 - p[best]);
        } else {
            decision.intent = model_.intents[best];
            decision.domain = model_.domains[best];
            decision.confidence = p[best];
        }
    });
    return decision;
}

}  // namespace tiergate::router
