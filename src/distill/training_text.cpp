#include "distill/training_text.h"

#include <llama.h>

#include <memory>

#include "engine/chat_format.h"

namespace tiergate::distill {

namespace {

std::vector<int32_t> tokenize(const llama_vocab * vocab, const std::string & text, bool add_special, bool parse_special) {
    std::vector<int32_t> out(text.size() + 8);
    int32_t n = llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), out.data(),
                               static_cast<int32_t>(out.size()), add_special, parse_special);
    if (n < 0) {
        out.resize(static_cast<size_t>(-n));
        n = llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), out.data(),
                           static_cast<int32_t>(out.size()), add_special, parse_special);
    }
    out.resize(static_cast<size_t>(std::max(n, 0)));
    return out;
}

}  // namespace

example_tokenizer::example_tokenizer(const llama_model * model)
    : model_(model), format_(std::make_unique<engine::chat_format>(model)) {}

example_tokenizer::~example_tokenizer() = default;

result<example_tokens> example_tokenizer::operator()(const chat_example & example) const {
    const llama_vocab * vocab = llama_model_get_vocab(model_);
    auto prompt = format_->render(example.prompt);
    if (!prompt) {
        return prompt.err();
    }
    example_tokens out;
    // special tokens in the text are read as the engine reads them: from a template, yes
    out.tokens = tokenize(vocab, prompt->text, true, prompt->from_template);
    out.answer_begin = out.tokens.size();
    std::vector<int32_t> answer;
    if (prompt->from_template) {
        // the prompt ends with the assistant's header; the answer is plain text, then end of generation
        answer = tokenize(vocab, example.answer, false, false);
        llama_token end = llama_vocab_eot(vocab);
        if (end == LLAMA_TOKEN_NULL) {
            end = llama_vocab_eos(vocab);
        }
        if (end != LLAMA_TOKEN_NULL) {
            answer.push_back(end);
        }
    } else {
        // the plain format: "Assistant:" then " answer", stopped by "\nUser:"
        answer = tokenize(vocab, " " + example.answer + "\nUser:", false, false);
    }
    out.tokens.insert(out.tokens.end(), answer.begin(), answer.end());
    out.answer_end = out.tokens.size();
    return out;
}

}  // namespace tiergate::distill
