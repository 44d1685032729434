#pragma once
// How a chat example becomes tokens for training and for evaluation, the
// same way the engine renders a chat when it serves the model: the prompt
// through the model's chat template (or the plain fallback), then the answer,
// then the end of the turn (the end-of-generation token for a templated
// model; for the plain format a newline and the next "User:", so the student
// learns to stop where the served format stops it).

#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.h"
#include "distill/chat_example.h"

struct llama_model;

namespace tiergate::engine {
class chat_format;
}

namespace tiergate::distill {

struct example_tokens {
    std::vector<int32_t> tokens;  // prompt, then answer and its end
    size_t answer_begin = 0;      // index of the first answer token
    size_t answer_end = 0;        // one past the answer's last token (its end-of-turn included)
};

class example_tokenizer {
  public:
    explicit example_tokenizer(const llama_model * model);
    ~example_tokenizer();
    example_tokenizer(const example_tokenizer &) = delete;
    example_tokenizer & operator=(const example_tokenizer &) = delete;

    result<example_tokens> operator()(const chat_example & example) const;

  private:
    const llama_model * model_;
    std::unique_ptr<engine::chat_format> format_;
};

}  // namespace tiergate::distill
