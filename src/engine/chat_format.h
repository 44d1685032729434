#pragma once
// Renders chat messages into a prompt with the model's own chat template
// (from the GGUF metadata, run by llama.cpp's Jinja engine). Models without a
// template use the plain fallback:
//
//     {system}\n\n            (only when there is a system message)
//     User: {content}\n       (one line per user message)
//     Assistant: {content}\n  (one line per earlier assistant message)
//     Assistant:
//
// with "\nUser:" as a stop sequence, so the model does not write the next turn.

#include <memory>
#include <vector>

#include "core/error.h"
#include "engine/engine_types.h"

struct llama_model;

namespace tiergate::engine {

class chat_format {
  public:
    explicit chat_format(const llama_model * model);
    ~chat_format();
    chat_format(const chat_format &) = delete;
    chat_format & operator=(const chat_format &) = delete;

    // The model has a chat template of its own (else the plain format, and ChatML for tools).
    bool has_template() const;
    // With tools (or a history of tool calls), the prompt comes from the
    // model's template, or ChatML for a model without one, and carries the
    // tool format: tool definitions rendered the template's way, or
    // llama.cpp's generic JSON format where the template has none.
    result<chat_prompt> render(const std::vector<chat_message> & messages, const chat_tools * tools = nullptr) const;
    // The text and tool calls of an answer generated for a prompt with tools.
    // truncated: generation stopped at max_tokens.
    static result<tool_answer> parse_tool_answer(const tool_format & format, const std::string & text, bool truncated);

    static chat_prompt render_plain(const std::vector<chat_message> & messages);

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::engine
