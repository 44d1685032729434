#pragma once
// The answer scorer: the probability that one model's answer to a prompt is
// right, from the prompt, the answer and what else the cascade knows (other
// models' answers to the same prompt, the local model's token
// log-probabilities). A logistic regression over hashed features:
//   - the answer's words and word pairs, shared and crossed with its model;
//   - the prompt's words crossed with the model (which model is good at
//     which kind of prompt);
//   - cues: length, a terse reply, an extracted final answer and its kind,
//     refusal and hedging, a code block and whether its brackets balance,
//     options named, overlap with the prompt;
//   - agreement: the share of other answers with the same final answer, and
//     which model agrees or disagrees;
//   - online, the mean and least token log-probability.
// Scoring allocates nothing and takes microseconds.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "router/final_answer.h"
#include "router/hashed_features.h"

namespace tiergate::router {

struct scorer_feature_config {
    uint32_t hash_bits = 18;
    uint32_t max_text_bytes = 2048;  // of the prompt and of each answer (head 3/4, tail 1/4)
};

// One answer known for a prompt.
struct scored_answer {
    std::string_view model;
    std::string_view text;
    final_answer final;
    std::optional<float> mean_logprob;
    std::optional<float> min_logprob;
};

struct scorer_input {
    std::string_view prompt;
    const prompt_options * options = nullptr;  // of prompt
    const scored_answer * answer = nullptr;
    std::span<const scored_answer * const> others;  // other answers to the same prompt
    // The prompt's hashed words (answer_scorer::prompt_words), read once for
    // every answer to it; null: read from `prompt` for this answer.
    const std::vector<uint32_t> * prompt_words = nullptr;
};

// A stage of a cascade: one model, or up to three started together (the
// agreement signal); the best scored of a stage's answers is the one kept.
using cascade_stage = std::vector<std::string>;

struct scorer_model {
    scorer_feature_config features;
    std::vector<float> weights;  // 2^hash_bits
    float bias = 0.0f;
    std::vector<std::string> models;  // the models of the training data
    std::vector<double> costs;        // their mean USD per call in the data
    // The cascade chosen with the scorer (may be empty): its stages, cheapest
    // first, and the score each stage but the last needs to be accepted.
    std::vector<cascade_stage> chain;
    std::vector<double> thresholds;
    std::string trained_on;

    std::string check() const;  // empty when consistent
};

// Receives the features of one input: (index, value). With weights it sums
// the dot product; with out it collects the features (training).
struct feature_sink {
    const float * weights = nullptr;
    std::vector<std::pair<uint32_t, float>> * out = nullptr;
    uint32_t mask = 0;
    double sum = 0.0;

    void add(uint64_t key, float value) {
        const uint32_t index = static_cast<uint32_t>(mix_hash(key) >> 20) & mask;
        if (weights != nullptr) {
            sum += static_cast<double>(weights[index]) * value;
        }
        if (out != nullptr) {
            out->emplace_back(index, value);
        }
    }
};

class answer_features {
  public:
    explicit answer_features(scorer_feature_config config);
    const scorer_feature_config & config() const { return config_; }
    uint32_t mask() const { return (uint32_t{1} << config_.hash_bits) - 1; }
    // Every feature; the sum of visit_own and visit_agreement.
    void visit(const scorer_input & input, feature_sink & sink) const;
    // The features of the answer and prompt alone (input.others unread).
    void visit_own(const scorer_input & input, feature_sink & sink) const;
    // The features of the answer beside input.others (none when there are no others).
    void visit_agreement(const scorer_input & input, feature_sink & sink) const;
    // The prompt's hashed words, in the order visit_own reads them.
    void prompt_words(std::string_view prompt, std::vector<uint32_t> & out) const;

  private:
    scorer_feature_config config_;
    feature_extractor prompt_words_;
    feature_extractor answer_words_;
};

class answer_scorer {
  public:
    // model.check() must be empty.
    explicit answer_scorer(scorer_model model);
    const scorer_model & model() const { return model_; }
    // The probability that input.answer is right.
    float score(const scorer_input & input) const;
    // What every answer to one prompt shares: read once, passed in scorer_input::prompt_words.
    std::vector<uint32_t> prompt_words(std::string_view prompt) const;
    // The two parts of the score's logit, for a cascade that scores one
    // answer beside different others: score = sigmoid(own + agreement).
    double own_logit(const scorer_input & input) const;  // includes the bias
    double agreement_logit(const scorer_input & input) const;
    static float probability(double logit);

  private:
    scorer_model model_;
    answer_features features_;
};

}  // namespace tiergate::router
