#include "router/router_training.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tiergate::router {
namespace {

uint64_t next_random(uint64_t & state) {
    state += 0x9e3779b97f4a7c15ULL;
    return mix_hash(state);
}

}  // namespace

result<router_model> train_router(std::span<const training_example> examples, std::vector<std::string> models,
                                  std::vector<double> costs, const training_config & config) {
    const size_t k = models.size();
    if (k == 0) {
        return error::invalid("no models to train", "models");
    }
    if (costs.size() != k) {
        return error::invalid("one cost per model is required", "costs");
    }
    if (examples.empty()) {
        return error::invalid("no training examples", "data");
    }
    if (config.epochs < 1 || !(config.learning_rate > 0) || !(config.l2 >= 0)) {
        return error::invalid("epochs must be >= 1, learning_rate > 0 and l2 >= 0", "training");
    }
    for (const training_example & ex : examples) {
        if (ex.labels.size() != k) {
            return error::invalid("a training example has " + std::to_string(ex.labels.size()) +
                                      " labels for " + std::to_string(k) + " models",
                                  "data");
        }
    }

    router_model model;
    model.features = feature_extractor(config.features).config();
    model.models = std::move(models);
    model.costs = std::move(costs);
    model.rule = config.rule;
    const feature_extractor extractor(model.features);
    const size_t dim = extractor.dimension();
    model.weights.assign(dim * k, 0.0f);
    model.bias.assign(k, 0.0f);

    // Start each bias at the log-odds of the model's mean label.
    std::vector<double> label_sum(k, 0.0);
    std::vector<double> label_count(k, 0.0);
    for (const training_example & ex : examples) {
        for (size_t m = 0; m < k; ++m) {
            if (!std::isnan(ex.labels[m])) {
                label_sum[m] += std::clamp<double>(ex.labels[m], 0.0, 1.0);
                label_count[m] += 1.0;
            }
        }
    }
    for (size_t m = 0; m < k; ++m) {
        if (label_count[m] == 0) {
            return error::invalid("model '" + model.models[m] + "' has no labels in the training data", "data");
        }
        const double mean = std::clamp((label_sum[m] + 1.0) / (label_count[m] + 2.0), 0.01, 0.99);
        model.bias[m] = static_cast<float>(std::log(mean / (1.0 - mean)));
    }

    const std::vector<float> initial_bias = model.bias;
    auto fit = [&](uint64_t seed, std::vector<float> & weights, std::vector<float> & bias) {
        std::vector<float> grad_sq(dim * k, 0.0f);
        std::vector<double> bias_grad_sq(k, 0.0);
        std::vector<size_t> order(examples.size());
        std::iota(order.begin(), order.end(), size_t{0});
        uint64_t rng = seed;
        sparse_features features;
        std::vector<float> z(k);
        std::vector<float> g(k);
        const float lr = static_cast<float>(config.learning_rate);
        const float l2 = static_cast<float>(config.l2);
        const size_t dense_base = size_t{extractor.bucket_count()};
        constexpr float eps = 1e-6f;

        for (int epoch = 0; epoch < config.epochs; ++epoch) {
            for (size_t i = order.size(); i > 1; --i) {
                std::swap(order[i - 1], order[next_random(rng) % i]);
            }
            for (size_t idx : order) {
                const training_example & ex = examples[idx];
                extractor.extract(ex.prompt, features);
                for (size_t m = 0; m < k; ++m) {
                    z[m] = bias[m];
                }
                for (uint32_t b : features.buckets) {
                    const float * row = &weights[size_t{b} * k];
                    for (size_t m = 0; m < k; ++m) {
                        z[m] += row[m] * features.scale;
                    }
                }
                for (size_t j = 0; j < dense_feature_count; ++j) {
                    const float * row = &weights[(dense_base + j) * k];
                    for (size_t m = 0; m < k; ++m) {
                        z[m] += row[m] * features.dense[j];
                    }
                }
                for (size_t m = 0; m < k; ++m) {
                    if (std::isnan(ex.labels[m])) {
                        g[m] = 0.0f;
                        continue;
                    }
                    const float p = 1.0f / (1.0f + std::exp(-z[m]));
                    g[m] = p - std::clamp(ex.labels[m], 0.0f, 1.0f);
                    bias_grad_sq[m] += double{g[m]} * g[m];
                    bias[m] -= static_cast<float>(config.learning_rate * g[m] / (std::sqrt(bias_grad_sq[m]) + eps));
                }
                auto update_row = [&](size_t row_index, float x) {
                    float * w = &weights[row_index * k];
                    float * s = &grad_sq[row_index * k];
                    for (size_t m = 0; m < k; ++m) {
                        if (std::isnan(ex.labels[m])) {
                            continue;
                        }
                        const float grad = g[m] * x + l2 * w[m];
                        s[m] += grad * grad;
                        w[m] -= lr * grad / (std::sqrt(s[m]) + eps);
                    }
                };
                for (uint32_t b : features.buckets) {
                    update_row(b, features.scale);
                }
                for (size_t j = 0; j < dense_feature_count; ++j) {
                    update_row(dense_base + j, features.dense[j]);
                }
            }
        }
    };
    // Several fits from different example orders, averaged: the same cost at
    // prediction time, less variance from the order of the updates.
    const int members = std::max(1, config.ensemble);
    std::vector<float> weights(dim * k);
    std::vector<float> bias(k);
    std::fill(model.weights.begin(), model.weights.end(), 0.0f);
    std::fill(model.bias.begin(), model.bias.end(), 0.0f);
    for (int member = 0; member < members; ++member) {
        std::fill(weights.begin(), weights.end(), 0.0f);
        bias = initial_bias;
        fit(config.seed + static_cast<uint64_t>(member) * 0x9e3779b97f4a7c15ULL, weights, bias);
        for (size_t i = 0; i < weights.size(); ++i) {
            model.weights[i] += weights[i] / static_cast<float>(members);
        }
        for (size_t m = 0; m < k; ++m) {
            model.bias[m] += bias[m] / static_cast<float>(members);
        }
    }
    return model;
}

}  // namespace tiergate::router
