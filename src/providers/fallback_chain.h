#pragma once
// A model with its fallbacks: tries the model, then each fallback in order,
// until one answers. Deltas are forwarded as they come; once an option has
// delivered content it is the answer, and a later failure of it ends the call
// with that failure (no switch mid-answer). An option that fails before any
// content is replaced by the next one invisibly. When every option fails the
// error lists each attempt and why it failed.
//
// Every attempt (retries of remote models included) is passed to the
// outer observer if it implements attempt_listener, and all of them to
// `on_attempts` once the call ends.

#include <functional>
#include <memory>
#include <vector>

#include "providers/attempt_record.h"
#include "providers/provider.h"

namespace tiergate::providers {

using attempts_fn = std::function<void(const std::vector<attempt_record> & attempts)>;

class fallback_chain final : public provider {
  public:
    // The providers must outlive the chain; null fallbacks are skipped.
    fallback_chain(provider & primary, std::vector<provider *> fallbacks, attempts_fn on_attempts = {});

    provider_kind kind() const override { return primary_.kind(); }
    const std::string & name() const override { return primary_.name(); }
    bool supports_embeddings() const override;
    int context_window() const override { return primary_.context_window(); }

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override;
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override;

    const std::vector<provider *> & options() const { return options_; }

  private:
    provider & primary_;
    std::vector<provider *> options_;  // primary first
    attempts_fn on_attempts_;
};

// One call through `options` in order, with the chain's rules (what
// fallback_chain::generate does): the layer under a pool of deployments.
// The options must outlive the call.
void run_in_order(std::vector<provider *> options, const generation_call & call,
                  std::shared_ptr<generation_observer> observer, attempts_fn on_attempts = {});

// The error when every attempt failed: 429 if all were rate limited, 504 if
// all were timeouts (or rate limits), 400 if every upstream rejected the
// call, 503 if every upstream was skipped by its circuit breaker, else 502;
// the message lists each attempt.
error all_attempts_failed(const std::vector<attempt_record> & attempts);

}  // namespace tiergate::providers
