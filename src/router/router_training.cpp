#include "router/router_training.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace tiergate::router {
namespace {

uint64_t next_random(uint64_t & state) {
    state += 0x9e3779b97f4a7c15ULL;
    return mix_hash(state);
}

// Labels pulled toward their group's smoothed mean; empty when there is
// only one group or the pull is off.
std::vector<std::vector<float>> group_targets(std::span<const training_example> examples, size_t k,
                                              const training_config & config) {
    const double w = config.group_label_weight;
    if (w >= 1.0 || examples.empty()) {
        return {};
    }
    std::unordered_map<uint32_t, size_t> index;
    for (const training_example & ex : examples) {
        index.emplace(ex.group, index.size());
    }
    if (index.size() < 2) {
        return {};
    }
    std::vector<double> sum(index.size() * k, 0.0);
    std::vector<double> count(index.size() * k, 0.0);
    std::vector<double> all_sum(k, 0.0);
    std::vector<double> all_count(k, 0.0);
    for (const training_example & ex : examples) {
        const size_t g = index.at(ex.group);
        for (size_t m = 0; m < k; ++m) {
            if (!std::isnan(ex.labels[m])) {
                const double y = std::clamp<double>(ex.labels[m], 0.0, 1.0);
                sum[g * k + m] += y;
                count[g * k + m] += 1.0;
                all_sum[m] += y;
                all_count[m] += 1.0;
            }
        }
    }
    std::vector<std::vector<float>> out(examples.size());
    for (size_t i = 0; i < examples.size(); ++i) {
        const training_example & ex = examples[i];
        const size_t g = index.at(ex.group);
        out[i].resize(k);
        for (size_t m = 0; m < k; ++m) {
            if (std::isnan(ex.labels[m])) {
                out[i][m] = ex.labels[m];
                continue;
            }
            const double overall = all_sum[m] / all_count[m];
            const double mean =
                (sum[g * k + m] + config.group_prior * overall) / (count[g * k + m] + config.group_prior);
            out[i][m] = static_cast<float>(w * std::clamp<double>(ex.labels[m], 0.0, 1.0) + (1.0 - w) * mean);
        }
    }
    return out;
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
    if (!(config.group_label_weight >= 0 && config.group_label_weight <= 1) || !(config.group_prior >= 0) ||
        !(config.deviation_rate > 0)) {
        return error::invalid("group_label_weight must be in 0..1, group_prior >= 0 and deviation_rate > 0",
                              "training");
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

    const std::vector<std::vector<float>> targets = group_targets(examples, k, config);
    auto target_of = [&](size_t index) -> std::span<const float> {
        return targets.empty() ? examples[index].labels : std::span<const float>(targets[index]);
    };

    const std::vector<float> initial_bias = model.bias;
    // With a shared column the weights of model m are shared[j] + own[j][m]:
    // one difficulty direction learned from every model's labels, plus
    // per-model deviations learned at a lower rate (shrunk toward it).
    const bool shared = config.shared_weights && k > 1;
    const size_t width = shared ? k + 1 : k;
    auto fit = [&](uint64_t seed, std::vector<float> & weights, std::vector<float> & bias) {
        std::vector<float> grad_sq(dim * width, 0.0f);
        std::vector<double> bias_grad_sq(k, 0.0);
        std::vector<size_t> order(examples.size());
        std::iota(order.begin(), order.end(), size_t{0});
        uint64_t rng = seed;
        sparse_features features;
        std::vector<float> z(k);
        std::vector<float> g(k);
        const float lr = static_cast<float>(config.learning_rate);
        const float own_lr = shared ? static_cast<float>(config.learning_rate * config.deviation_rate) : lr;
        const float l2 = static_cast<float>(config.l2);
        const size_t dense_base = size_t{extractor.bucket_count()};
        const size_t dense_count = extractor.dense_count();
        constexpr float eps = 1e-6f;

        auto row_value = [&](size_t row_index, size_t m) {
            const float * w = &weights[row_index * width];
            return shared ? w[k] + w[m] : w[m];
        };
        for (int epoch = 0; epoch < config.epochs; ++epoch) {
            for (size_t i = order.size(); i > 1; --i) {
                std::swap(order[i - 1], order[next_random(rng) % i]);
            }
            for (size_t idx : order) {
                const training_example & ex = examples[idx];
                const std::span<const float> labels = target_of(idx);
                extractor.extract(ex.prompt, features);
                for (size_t m = 0; m < k; ++m) {
                    z[m] = bias[m];
                }
                for (uint32_t b : features.buckets) {
                    for (size_t m = 0; m < k; ++m) {
                        z[m] += row_value(b, m) * features.scale;
                    }
                }
                for (size_t j = 0; j < dense_count; ++j) {
                    for (size_t m = 0; m < k; ++m) {
                        z[m] += row_value(dense_base + j, m) * features.dense[j];
                    }
                }
                for (size_t m = 0; m < k; ++m) {
                    if (std::isnan(labels[m])) {
                        g[m] = 0.0f;
                        continue;
                    }
                    const float p = 1.0f / (1.0f + std::exp(-z[m]));
                    g[m] = p - std::clamp(labels[m], 0.0f, 1.0f);
                    bias_grad_sq[m] += double{g[m]} * g[m];
                    bias[m] -= static_cast<float>(config.learning_rate * g[m] / (std::sqrt(bias_grad_sq[m]) + eps));
                }
                auto update_row = [&](size_t row_index, float x) {
                    float * w = &weights[row_index * width];
                    float * s = &grad_sq[row_index * width];
                    float shared_grad = 0.0f;
                    for (size_t m = 0; m < k; ++m) {
                        if (std::isnan(labels[m])) {
                            continue;
                        }
                        const float grad = g[m] * x + l2 * w[m];
                        shared_grad += g[m] * x;
                        s[m] += grad * grad;
                        w[m] -= own_lr * grad / (std::sqrt(s[m]) + eps);
                    }
                    if (shared) {
                        const float grad = shared_grad / static_cast<float>(k) + l2 * w[k];
                        s[k] += grad * grad;
                        w[k] -= lr * grad / (std::sqrt(s[k]) + eps);
                    }
                };
                for (uint32_t b : features.buckets) {
                    update_row(b, features.scale);
                }
                for (size_t j = 0; j < dense_count; ++j) {
                    update_row(dense_base + j, features.dense[j]);
                }
            }
        }
        if (shared) {
            for (size_t row = 0; row < dim; ++row) {
                const float common = weights[row * width + k];
                for (size_t m = 0; m < k; ++m) {
                    weights[row * k + m] = weights[row * width + m] + common;
                }
            }
            weights.resize(dim * k);
        }
    };
    // Several fits from different example orders, averaged: the same cost at
    // prediction time, less variance from the order of the updates.
    const int members = std::max(1, config.ensemble);
    std::vector<float> weights;
    std::vector<float> bias(k);
    std::fill(model.weights.begin(), model.weights.end(), 0.0f);
    std::fill(model.bias.begin(), model.bias.end(), 0.0f);
    for (int member = 0; member < members; ++member) {
        weights.assign(dim * width, 0.0f);
        bias = initial_bias;
        fit(config.seed + static_cast<uint64_t>(member) * 0x9e3779b97f4a7c15ULL, weights, bias);
        for (size_t i = 0; i < model.weights.size(); ++i) {
            model.weights[i] += weights[i] / static_cast<float>(members);
        }
        for (size_t m = 0; m < k; ++m) {
            model.bias[m] += bias[m] / static_cast<float>(members);
        }
    }
    return model;
}

}  // namespace tiergate::router
