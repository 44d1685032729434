#pragma once
// Log-probabilities from raw logits: log-softmax of the chosen token and the
// top-k alternatives, as OpenAI's logprobs report them.

#include <cstdint>
#include <utility>
#include <vector>

namespace tiergate::engine {

struct token_logprobs {
    float chosen = 0.0f;
    std::vector<std::pair<int32_t, float>> top;  // (token, logprob), most probable first
};

// logits: n_vocab raw scores. k: number of alternatives (may be 0).
token_logprobs compute_logprobs(const float * logits, int32_t n_vocab, int32_t chosen, int32_t k);

}  // namespace tiergate::engine
