#pragma once
// A model served by a remote HTTP API. Shared by every remote kind: the
// dialect (OpenAI, Anthropic) shapes requests and decodes responses; this
// sends them with the model's timeouts, retry policy and its upstream's
// circuit breaker, and streams deltas to the observer as they arrive.
//
// An observer that also implements attempt_listener hears every attempt.

#include <memory>
#include <string>

#include "config/config.h"
#include "providers/endpoint_url.h"
#include "providers/provider.h"
#include "providers/remote_context.h"
#include "providers/remote_dialect.h"
#include "providers/resilient_exchange.h"

namespace tiergate::providers {

class remote_provider : public provider {
  public:
    remote_provider(const config::model_config & model, endpoint_url url, remote_context context,
                    std::shared_ptr<const remote_dialect> dialect);

    provider_kind kind() const override { return kind_; }
    const std::string & name() const override { return name_; }
    bool supports_embeddings() const override { return false; }
    int context_window() const override { return context_window_; }

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override;
    // Not every remote API has embeddings: this one answers invalid_request.
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override;
    // The circuit state of this model's upstream.
    provider_health health() const override;

  protected:
    // The plan of one upstream call with this model's limits and policy.
    exchange_plan plan(http_request_spec spec) const;
    // The key from api_key_env, or an error when it is configured but unset.
    result<std::string> api_key() const;

    std::string name_;
    provider_kind kind_;
    int context_window_ = 0;
    endpoint_url url_;
    remote_context context_;
    std::shared_ptr<const remote_dialect> dialect_;
    std::string api_key_env_;
    http_limits limits_;
    int max_attempts_ = 1;
    millis base_backoff_{200};
    std::shared_ptr<circuit_breaker> breaker_;
};

}  // namespace tiergate::providers
