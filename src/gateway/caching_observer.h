#pragma once
// Passes a generation on to the client and keeps the answer in the answer
// cache when it ends well: text only (no tool calls), finished by stop or
// length. A retracted attempt (a fallback starting over) is forgotten. With
// `keep_as`, what is kept is what it makes of the answer (the conversation's
// placeholders for its values), and nothing when it says no.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/answer_cache.h"

namespace tiergate::gateway {

class caching_observer final : public generation_observer {
  public:
    // (the answer, the model that gave it) -> what to keep, or nothing
    using keep_fn = std::function<std::optional<std::string>(const std::string & answer, const std::string & model)>;
    caching_observer(std::shared_ptr<generation_observer> inner, answer_cache & cache, cache_ticket ticket,
                     keep_fn keep_as = {});

    void on_delta(generation_delta && delta) override;
    void on_end(generation_end && end) override;
    bool wanted() const override { return inner_->wanted(); }
    bool retractable() const override { return inner_->retractable(); }
    void retract() override;

  private:
    std::shared_ptr<generation_observer> inner_;
    answer_cache & cache_;
    cache_ticket ticket_;
    keep_fn keep_as_;
    std::string text_;
    bool keepable_ = true;
};

// Sends a cached answer to `observer` as a generation: the text in pieces of
// at most `piece_bytes` (never inside a UTF-8 sequence), then the end.
void replay_answer(const cached_answer & answer, generation_observer & observer, double elapsed_ms,
                   size_t piece_bytes = 64);

}  // namespace tiergate::gateway
