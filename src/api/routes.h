#pragma once
// The OpenAI-compatible endpoints: parse at the edge, authenticate, hand the
// typed call to the gateway (guard, router, budgets, providers, ledger), and
// write the answer as JSON or as a server-sent event stream with the route
// headers x-tiergate-tier, x-tiergate-model and x-tiergate-route.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/http_server.h"
#include "api/knowledge_routes.h"
#include "api/route_module.h"
#include "auth/key_verifier.h"
#include "gateway/gateway.h"
#include "gateway/model_front.h"
#include "obs/metrics_registry.h"
#include "providers/registry.h"

namespace tiergate::api {

struct routes_options {
    // Reports readiness for GET /health (models loaded).
    std::function<bool()> ready = [] { return true; };
    // Virtual keys; null: keyless (loopback only, checked at startup).
    const auth::key_verifier * keys = nullptr;
    // Prometheus metrics for GET /metrics; null: no metrics endpoint.
    obs::metrics_registry * metrics_registry = nullptr;
    // Refuses new generations with 503 while this says the ledger is backlogged.
    std::function<bool()> overloaded = [] { return false; };
    // True once a shutdown has begun: GET /ready answers 503 so a load balancer stops sending.
    std::function<bool()> draining = [] { return false; };
    // The Files and Vector Stores APIs; null: no knowledge layer configured.
    knowledge_routes * knowledge = nullptr;
    // Model names served in front of the gateway (specialist agents); null: none.
    gateway::model_front * front = nullptr;
    // Paths other modules answer (the admin API and dashboard); null: none.
    route_module * admin = nullptr;
};

// The Anthropic dialect's paths, whose errors take the Anthropic shape.
bool is_anthropic_path(const std::string & path);
// An error's body in the dialect of `path` (for errors the server answers itself).
std::string error_body_for(const std::string & path, const error & err);

class routes {
  public:
    routes(providers::registry & models, gateway::gateway & gateway, routes_options options = {});
    void handle(http_request && request, std::shared_ptr<responder> respond);

  private:
    void chat_or_completion(http_request && request, std::shared_ptr<responder> respond,
                            std::shared_ptr<const auth::key_identity> who, bool chat);
    // The Anthropic Messages API: POST /v1/messages and /v1/messages/count_tokens.
    void messages(http_request && request, std::shared_ptr<responder> respond,
                  std::shared_ptr<const auth::key_identity> who);
    void count_tokens(const http_request & request, responder & respond);
    void route_only(http_request && request, responder & respond, std::shared_ptr<const auth::key_identity> who);
    void embeddings(http_request && request, std::shared_ptr<responder> respond,
                    std::shared_ptr<const auth::key_identity> who);
    void list_models(responder & respond);
    void health(responder & respond);
    // GET /ready: 200 while new requests are welcome; 503 while loading, draining or backlogged.
    void readiness(responder & respond);
    // Whether a front or the gateway answers the model name.
    bool knows_model(const std::string & model) const;
    // Hands the call to the front that serves its model, else to the gateway.
    void generate(gateway::request_context ctx, generation_call call, std::shared_ptr<gateway::response_route> route,
                  std::shared_ptr<generation_observer> observer);
    // 401 without a valid key; null identity when keyless.
    result<std::shared_ptr<const auth::key_identity>> authenticate(const http_request & request) const;

    providers::registry & models_;
    gateway::gateway & gateway_;
    routes_options options_;
};

}  // namespace tiergate::api
