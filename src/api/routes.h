#pragma once
// The OpenAI-compatible endpoints: parse at the edge, call a provider, write
// the answer as JSON or as a server-sent event stream.

#include <functional>
#include <optional>
#include <string>

#include "api/http_server.h"
#include "auth/key_verifier.h"
#include "config/config.h"
#include "obs/gateway_metrics.h"
#include "obs/metrics_registry.h"
#include "providers/registry.h"

namespace tiergate::api {

struct routes_options {
    // Reports readiness for GET /health (models loaded).
    std::function<bool()> ready = [] { return true; };
    // Virtual keys; null: keyless (loopback only, checked at startup).
    const auth::key_verifier * keys = nullptr;
    // The configured model entries (tier for scope checks); may be null.
    const config::config * models_config = nullptr;
    // Prometheus metrics for GET /metrics; null: no metrics endpoint.
    obs::metrics_registry * metrics_registry = nullptr;
    obs::gateway_metrics * metrics = nullptr;
};

class routes {
  public:
    routes(providers::registry & models, routes_options options = {});
    void handle(http_request && request, std::shared_ptr<responder> respond);

  private:
    void chat_or_completion(http_request && request, std::shared_ptr<responder> respond,
                            const auth::key_identity * who, bool chat);
    void embeddings(http_request && request, std::shared_ptr<responder> respond, const auth::key_identity * who);
    void list_models(responder & respond);
    void health(responder & respond);
    std::shared_ptr<generation_observer> accounted(std::shared_ptr<generation_observer> observer,
                                                   const providers::provider & model) const;
    // 401 without a valid key; null identity when keyless.
    result<std::shared_ptr<const auth::key_identity>> authenticate(const http_request & request) const;
    // 403 when the key may not use the model.
    std::optional<error> authorize(const auth::key_identity * who, const providers::provider & model) const;

    providers::registry & models_;
    routes_options options_;
};

}  // namespace tiergate::api
