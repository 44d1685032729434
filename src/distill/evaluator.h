#pragma once
// How well a model reproduces the teacher's answers of a chat data set:
//   nll          mean negative log-likelihood per answer token (the answer
//                and its end of turn, given the prompt), in nats
//   agreement    the share of answer tokens that are the model's own first
//                choice given the teacher's answer so far
//   exact_match  over short answers (at most 32 tokens: labels,
//                classifications, extractions), the share the model writes
//                exactly when it decodes greedily from the prompt (every
//                answer token its first choice)
// Examples longer than the context are skipped and counted.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/error.h"
#include "distill/chat_example.h"

namespace tiergate::distill {

// One example's scores (examples longer than the context: skipped).
struct example_score {
    bool skipped = false;
    double nll = 0.0;
    double agreement = 0.0;
    bool short_answer = false;
    bool exact = false;
    int64_t tokens = 0;  // answer tokens scored
};

struct eval_scores {
    double nll = 0.0;
    double agreement = 0.0;
    double exact_match = 0.0;
    size_t examples = 0;       // scored
    size_t skipped = 0;        // longer than the context
    size_t short_answers = 0;  // the ones exact_match counts
    int64_t answer_tokens = 0;
    std::vector<example_score> per_example;  // with eval_options::per_example, in the data set's order
};

struct eval_options {
    int context = 0;  // 0: the model's training context, at most 4096
    int threads = 0;
    bool per_example = false;
};

// Whether llama.cpp loads the file as a model (its vocabulary, metadata and
// tensors, shaped as the architecture expects them).
result<bool> check_loadable(const std::filesystem::path & model);

result<eval_scores> evaluate(const std::filesystem::path & model, const std::vector<chat_example> & examples,
                             const eval_options & options = {});

}  // namespace tiergate::distill
