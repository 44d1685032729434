#pragma once
// Wraps a client's generation observer and accounts for the request when it
// ends: Prometheus metrics (requests, tokens, cost, counterfactual cost and
// savings against the frontier baseline, latency, TTFT) from the configured
// prices. It forwards everything unchanged.

#include <chrono>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/chat_types.h"
#include "obs/gateway_metrics.h"

namespace tiergate::api {

struct request_labels {
    std::string tier;
    std::string model;
    std::string route;
};

// USD for these tokens at a model's prices.
double token_cost(const config::model_price & price, const usage & tokens);

class accounting_observer final : public generation_observer {
  public:
    accounting_observer(std::shared_ptr<generation_observer> inner, obs::gateway_metrics & metrics,
                        const config::config * cfg, request_labels labels);

    void on_delta(generation_delta && delta) override;
    void on_end(generation_end && end) override;
    bool wanted() const override { return inner_->wanted(); }

  private:
    std::shared_ptr<generation_observer> inner_;
    obs::gateway_metrics & metrics_;
    const config::config * cfg_;
    request_labels labels_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    double ttft_s_ = -1.0;
};

}  // namespace tiergate::api
