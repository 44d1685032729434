#pragma once
// A model served by a pool of deployments. Each call goes to the deployment
// the pool's strategy (and prefix affinity, when configured) puts first among
// those that may take it now; a deployment that is busy, over its RPM/TPM,
// cooling down after a 429, open after errors or down by its health check is
// skipped. A deployment that fails before any of the answer left the gateway
// is replaced by the next one, with the rules of a fallback chain; once the
// pool is exhausted the model's own fallbacks follow (the chain around it).

#include <functional>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "config/config.h"
#include "fleet/deployment.h"
#include "fleet/deployment_option.h"
#include "fleet/pool_hooks.h"
#include "core/periodic.h"
#include "fleet/pool_settings.h"
#include "fleet/prefix_affinity.h"
#include "obs/gateway_metrics.h"
#include "providers/provider.h"

namespace tiergate::fleet {

// A deployment's target: a provider the pool owns (a remote endpoint) or
// one it borrows (an in-process model of the registry, which outlives it).
struct pool_member {
    deployment_settings settings;
    std::unique_ptr<providers::provider> owned;
    providers::provider * borrowed = nullptr;
    std::string target;  // for health views: the endpoint or the model's name
    std::shared_ptr<providers::circuit_breaker> breaker;  // a remote deployment's, as its provider uses it
};

class pool_provider final : public providers::provider {
  public:
    // `metrics` may be null; without `probe` (or a health_check path) there
    // are no active checks. The checks run on a thread of the pool's own,
    // every interval (a round still waiting for answers is not begun again),
    // from construction to destruction.
    // With `shared_count`, deployments with rpm or tpm count their use
    // together with the other gateways (every usage_sync_interval, on a
    // thread of the pool's own), so each limit holds for the whole fleet
    // within what the gateways take between two reports.
    pool_provider(const config::model_config & model, pool_settings settings, std::vector<pool_member> members,
                  obs::gateway_metrics * metrics, probe_fn probe = {}, shared_count_fn shared_count = {});
    ~pool_provider() override;

    providers::provider_kind kind() const override { return kind_; }
    const std::string & name() const override { return name_; }
    bool supports_embeddings() const override;
    int context_window() const override { return context_window_; }

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override;
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override;
    // closed while any deployment may take calls, open when none may; and each deployment
    providers::provider_health health() const override;

    const pool_settings & settings() const { return settings_; }
    size_t size() const { return options_.size(); }
    deployment & at(size_t i) { return *options_[i]->state(); }

    // One round of active health checks (what the checker thread does every
    // interval); `done` is called once every answer is in. false: the last
    // round is still waiting for answers, none was begun.
    bool check_health(std::function<void()> done = {});
    // One report of RPM/TPM use to the shared counters (what the sync thread
    // does). A report that fails is sent again with the next.
    void sync_usage();

  private:
    // The deployments that may take a call of `tokens` tokens, in the order to try them.
    result<std::vector<size_t>> order(const generation_call * call, int64_t tokens,
                                      std::vector<uint64_t> * blocks);

    std::string name_;
    providers::provider_kind kind_;
    int context_window_ = 0;
    pool_settings settings_;
    std::vector<std::unique_ptr<providers::provider>> owned_;  // the remote deployments' providers
    std::vector<std::unique_ptr<deployment_option>> options_;
    std::vector<std::string> targets_;  // each deployment's endpoint or in-process model
    std::optional<prefix_affinity> affinity_;
    obs::gateway_metrics * metrics_ = nullptr;
    probe_fn probe_;
    shared_count_fn shared_count_;
    std::mutex rng_mutex_;
    std::mt19937_64 rng_;
    std::shared_ptr<std::atomic<bool>> probing_ = std::make_shared<std::atomic<bool>>(false);
    std::atomic<bool> stopping_{false};
    std::unique_ptr<periodic> checker_;  // last: stopped before the rest is destroyed
    std::unique_ptr<periodic> syncer_;
};

}  // namespace tiergate::fleet
