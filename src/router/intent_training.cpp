#include "router/intent_training.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tiergate::router {
namespace {

uint64_t next_random(uint64_t & state) {
    state += 0x9e3779b97f4a7c15ULL;
    return mix_hash(state);
}

// The features of every example as (row, value) pairs, repeats merged:
// hashed buckets with value occurrences / sqrt(all occurrences) (what the
// classifier computes at run time), then the non-zero dense features.
struct feature_table {
    std::vector<uint32_t> rows;
    std::vector<float> values;
    std::vector<size_t> begin;  // example i: [begin[i], begin[i + 1])
};

feature_table extract_all(std::span<const intent_example> examples, const feature_extractor & extractor) {
    feature_table table;
    table.begin.reserve(examples.size() + 1);
    table.begin.push_back(0);
    sparse_features features;
    const uint32_t dense_base = extractor.bucket_count();
    for (const intent_example & ex : examples) {
        extractor.extract(ex.text, features);
        std::sort(features.buckets.begin(), features.buckets.end());
        for (size_t i = 0; i < features.buckets.size();) {
            size_t j = i;
            while (j < features.buckets.size() && features.buckets[j] == features.buckets[i]) {
                ++j;
            }
            table.rows.push_back(features.buckets[i]);
            table.values.push_back(static_cast<float>(j - i) * features.scale);
            i = j;
        }
        for (size_t d = 0; d < extractor.dense_count(); ++d) {
            if (features.dense[d] != 0.0f) {
                table.rows.push_back(dense_base + static_cast<uint32_t>(d));
                table.values.push_back(features.dense[d]);
            }
        }
        table.begin.push_back(table.rows.size());
    }
    return table;
}

}  // namespace

feature_config default_intent_features() {
    feature_config f;
    f.hash_bits = 16;
    f.word_unigrams = true;
    f.word_bigrams = true;
    f.char_min = 2;
    f.char_max = 5;
    f.max_word_chars = 24;
    f.max_text_bytes = 2048;
    f.dense_set = 1;
    return f;
}

result<intent_model> train_intents(std::span<const intent_example> examples, std::vector<std::string> intents,
                                   std::vector<std::string> domains, const intent_training_config & config) {
    const size_t k = intents.size();
    if (k < 2) {
        return error::invalid("at least 2 intents are needed to train a classifier", "data");
    }
    if (domains.size() != k) {
        return error::invalid("one domain per intent is required", "domains");
    }
    if (examples.empty()) {
        return error::invalid("no training examples", "data");
    }
    if (config.epochs < 1 || config.epochs > 1000 || !(config.learning_rate > 0) || !(config.l2 >= 0) ||
        !(config.oos_weight > 0) || !std::isfinite(config.learning_rate) || !std::isfinite(config.l2) ||
        !std::isfinite(config.oos_weight)) {
        return error::invalid("epochs must be in 1..1000, learning_rate > 0, l2 >= 0 and oos_weight > 0", "training");
    }
    std::vector<size_t> per_class(k, 0);
    for (const intent_example & ex : examples) {
        if (ex.label >= k) {
            return error::invalid("a training example has label " + std::to_string(ex.label) + " for " +
                                      std::to_string(k) + " intents",
                                  "data");
        }
        ++per_class[ex.label];
    }
    for (size_t c = 0; c < k; ++c) {
        if (per_class[c] == 0) {
            return error::invalid("intent '" + intents[c] + "' has no training examples", "data");
        }
    }

    intent_model model;
    model.features = feature_extractor(config.features).config();
    model.intents = std::move(intents);
    model.domains = std::move(domains);
    const feature_extractor extractor(model.features);
    const size_t dim = extractor.dimension();
    model.weights.assign(dim * k, 0.0f);
    model.bias.assign(k, 0.0f);
    if (std::string problem = model.check(); !problem.empty()) {
        return error::invalid(problem, "data");
    }
    const size_t oos = model.oos_index();

    const feature_table table = extract_all(examples, extractor);
    std::vector<float> row_grad_sq(dim, 0.0f);
    std::vector<float> bias_grad_sq(k, 0.0f);
    std::vector<size_t> order(examples.size());
    std::iota(order.begin(), order.end(), size_t{0});
    uint64_t rng = config.seed;
    std::vector<float> z(k);
    const float lr = static_cast<float>(config.learning_rate);
    const float l2 = static_cast<float>(config.l2);
    constexpr float eps = 1e-6f;
    float * weights = model.weights.data();

    for (int epoch = 0; epoch < config.epochs; ++epoch) {
        for (size_t i = order.size(); i > 1; --i) {
            std::swap(order[i - 1], order[next_random(rng) % i]);
        }
        for (size_t index : order) {
            const size_t from = table.begin[index];
            const size_t to = table.begin[index + 1];
            // forward: logits and softmax
            std::copy(model.bias.begin(), model.bias.end(), z.begin());
            for (size_t f = from; f < to; ++f) {
                const float * row = weights + size_t{table.rows[f]} * k;
                const float x = table.values[f];
                for (size_t c = 0; c < k; ++c) {
                    z[c] += x * row[c];
                }
            }
            const float top = *std::max_element(z.begin(), z.end());
            float sum = 0;
            for (float & v : z) {
                v = std::exp(v - top);
                sum += v;
            }
            // gradient of the (weighted) cross-entropy: p - y
            const uint32_t label = examples[index].label;
            const float weight = label == oos ? static_cast<float>(config.oos_weight) : 1.0f;
            float norm_sq = 0;
            for (size_t c = 0; c < k; ++c) {
                z[c] = weight * (z[c] / sum - (c == label ? 1.0f : 0.0f));
                norm_sq += z[c] * z[c];
            }
            // backward: row-wise AdaGrad on the active rows, per-class on the bias
            for (size_t f = from; f < to; ++f) {
                float * row = weights + size_t{table.rows[f]} * k;
                const float x = table.values[f];
                float & g2 = row_grad_sq[table.rows[f]];
                g2 += x * x * norm_sq;
                const float step = lr / std::sqrt(g2 + eps);
                const float decay = std::max(0.0f, 1.0f - step * l2);
                for (size_t c = 0; c < k; ++c) {
                    row[c] = row[c] * decay - step * x * z[c];
                }
            }
            for (size_t c = 0; c < k; ++c) {
                bias_grad_sq[c] += z[c] * z[c];
                model.bias[c] -= lr * z[c] / std::sqrt(bias_grad_sq[c] + eps);
            }
        }
    }
    if (std::string problem = model.check(); !problem.empty()) {
        return error::invalid("training diverged: " + problem, "training");
    }
    return model;
}

}  // namespace tiergate::router
