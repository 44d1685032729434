#include "router/scorer_training.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace tiergate::router {

namespace {

struct example {
    uint32_t prompt = 0;
    uint16_t answer = 0;
    uint16_t others = 0;  // how many other answers
    uint64_t draw = 0;    // seed of the drawing of the others
};

}  // namespace

result<scorer_model> train_scorer(std::span<const scorer_training_prompt> data, const scorer_training_config & config,
                                  scorer_training_summary * summary) {
    if (config.features.hash_bits < 8 || config.features.hash_bits > 26) {
        return error::invalid("hash_bits must be within 8..26", "hash_bits");
    }
    if (config.epochs < 1 || !(config.learning_rate > 0)) {
        return error::invalid("epochs must be >= 1 and the learning rate > 0", "epochs");
    }
    std::vector<example> examples;
    std::mt19937_64 rng(config.seed);
    for (size_t p = 0; p < data.size(); ++p) {
        const auto & d = data[p];
        if (d.labels.size() != d.answers.size()) {
            return error::invalid("a training prompt has labels and answers of different counts", "data");
        }
        for (size_t a = 0; a < d.answers.size(); ++a) {
            if (std::isnan(d.labels[a])) {
                continue;
            }
            const size_t most = std::min<size_t>(static_cast<size_t>(std::max(0, config.others_draws)),
                                                 d.answers.size() - 1);
            for (size_t k = 0; k <= most; ++k) {
                examples.push_back({static_cast<uint32_t>(p), static_cast<uint16_t>(a), static_cast<uint16_t>(k), rng()});
            }
        }
    }
    if (examples.empty()) {
        return error::invalid("no labelled answers to train on", "data", "empty_data");
    }

    scorer_model model;
    model.features = config.features;
    model.weights.assign(size_t{1} << config.features.hash_bits, 0.0f);
    std::vector<float> squares(model.weights.size(), 0.0f);
    double bias_square = 0.0;
    double positive = 0.0;
    for (const example & e : examples) {
        positive += data[e.prompt].labels[e.answer];
    }
    const double base = std::clamp(positive / static_cast<double>(examples.size()), 1e-3, 1.0 - 1e-3);
    model.bias = static_cast<float>(std::log(base / (1.0 - base)));

    const answer_features features(config.features);
    std::vector<std::pair<uint32_t, float>> active;
    std::vector<const scored_answer *> others;
    std::vector<size_t> candidates;
    std::vector<size_t> order(examples.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::vector<prompt_options> options;
    std::vector<std::vector<uint32_t>> words(data.size());
    options.reserve(data.size());
    for (size_t p = 0; p < data.size(); ++p) {
        options.push_back(prompt_options::read(data[p].prompt));
        features.prompt_words(data[p].prompt, words[p]);
    }
    double loss = 0.0;
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        loss = 0.0;
        for (size_t i : order) {
            const example & e = examples[i];
            const auto & d = data[e.prompt];
            others.clear();
            if (e.others > 0) {
                candidates.clear();
                for (size_t a = 0; a < d.answers.size(); ++a) {
                    if (a != e.answer) {
                        candidates.push_back(a);
                    }
                }
                std::mt19937_64 draw(e.draw);
                for (size_t k = 0; k < e.others && k < candidates.size(); ++k) {
                    const size_t j = k + draw() % (candidates.size() - k);
                    std::swap(candidates[k], candidates[j]);
                    others.push_back(&d.answers[candidates[k]]);
                }
            }
            active.clear();
            feature_sink sink;
            sink.weights = model.weights.data();
            sink.out = &active;
            sink.mask = features.mask();
            const scorer_input input{d.prompt, &options[e.prompt], &d.answers[e.answer], others, &words[e.prompt]};
            features.visit(input, sink);
            const double z = sink.sum + model.bias;
            const double p = 1.0 / (1.0 + std::exp(-z));
            const double y = d.labels[e.answer];
            loss -= y * std::log(std::max(p, 1e-12)) + (1.0 - y) * std::log(std::max(1.0 - p, 1e-12));
            const double g = p - y;
            for (const auto & [index, value] : active) {
                float & w = model.weights[index];
                const double grad = g * value + config.l2 * w;
                squares[index] += static_cast<float>(grad * grad);
                w -= static_cast<float>(config.learning_rate * grad / (std::sqrt(squares[index]) + 1e-8));
            }
            bias_square += g * g;
            model.bias -= static_cast<float>(config.learning_rate * g / (std::sqrt(bias_square) + 1e-8));
        }
        loss /= static_cast<double>(examples.size());
    }
    if (summary != nullptr) {
        summary->prompts = data.size();
        summary->examples = examples.size();
        summary->final_log_loss = loss;
    }
    return model;
}

}  // namespace tiergate::router
