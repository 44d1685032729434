#pragma once
// A deployment as one option of the chain a pool runs for a call: it admits
// the call on its deployment (deployment::try_begin), passes it to the
// deployment's provider and accounts how it ended. Every attempt it reports
// names the deployment, one the provider did not report itself included.

#include <memory>
#include <string>

#include "fleet/deployment.h"
#include "obs/gateway_metrics.h"
#include "providers/provider.h"

namespace tiergate::fleet {

class deployment_option final : public providers::provider {
  public:
    // `target` must outlive the option; `metrics` may be null. `answers_as`:
    // the model name its answers carry (the pool's model, or an in-process
    // model's own name).
    deployment_option(std::string pool_model, std::string answers_as, std::shared_ptr<deployment> state,
                      providers::provider & target, std::chrono::milliseconds cooldown, obs::gateway_metrics * metrics);

    providers::provider_kind kind() const override { return target_.kind(); }
    const std::string & name() const override { return answers_as_; }
    bool supports_embeddings() const override { return target_.supports_embeddings(); }
    int context_window() const override { return target_.context_window(); }

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override;
    // Embeddings pass through: they are spread and failed over by the pool but not counted.
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override {
        target_.embed(call, std::move(done));
    }

    const std::shared_ptr<deployment> & state() const { return state_; }

    // A call it admitted ended (called by its observer).
    void ended(const generation_end & end, const deployment::outcome & how);

  private:
    std::string pool_model_;
    std::string answers_as_;
    std::shared_ptr<deployment> state_;
    providers::provider & target_;
    std::chrono::milliseconds cooldown_;
    obs::gateway_metrics * metrics_;
    obs::gauge * in_flight_ = nullptr;
    obs::gauge * latency_ = nullptr;
};

}  // namespace tiergate::fleet
