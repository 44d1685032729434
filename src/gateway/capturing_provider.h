#pragma once
// A provider seen by the distillation capture: it passes the call and its
// answer through untouched and, when a text answer ends well (stop or
// length; a cascade's first answer however it ended), gives the capture the
// call as the model received it and the answer as the model wrote it. It
// sits inside the guard (guarded_provider wraps it), so what it sees is the
// egress form: pseudonyms, never the values they stand for.

#include <memory>

#include "core/answer_capture.h"
#include "ledger/price_table.h"
#include "providers/provider.h"

namespace tiergate::gateway {

// What every call of one request shares.
struct capture_context {
    answer_capture * sink = nullptr;
    const ledger::price_table * prices = nullptr;
    captured_call request;  // request_id, task, team, key_id, route, decision
};

class capturing_provider final : public providers::provider {
  public:
    // role: teacher, or student for a cascade's first model
    capturing_provider(providers::provider & inner, std::shared_ptr<const capture_context> context, std::string tier,
                       std::string role);

    providers::provider_kind kind() const override { return inner_.kind(); }
    const std::string & name() const override { return inner_.name(); }
    bool supports_embeddings() const override { return inner_.supports_embeddings(); }
    int context_window() const override { return inner_.context_window(); }

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override;
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override {
        inner_.embed(call, std::move(done));
    }

  private:
    providers::provider & inner_;
    std::shared_ptr<const capture_context> context_;
    std::string tier_;
    std::string role_;
};

}  // namespace tiergate::gateway
