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

    bool has_template() const { return impl_ != nullptr; }
    result<chat_prompt> render(const std::vector<chat_message> & messages) const;

    static chat_prompt render_plain(const std::vector<chat_message> & messages);

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::engine
