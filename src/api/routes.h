#pragma once
// The OpenAI-compatible endpoints: parse at the edge, call a provider, write
// the answer as JSON or as a server-sent event stream.

#include <functional>
#include <string>

#include "api/http_server.h"
#include "providers/registry.h"

namespace tiergate::api {

struct routes_options {
    // Reports readiness for GET /health (models loaded).
    std::function<bool()> ready = [] { return true; };
};

class routes {
  public:
    routes(providers::registry & models, routes_options options = {});
    void handle(http_request && request, std::shared_ptr<responder> respond);

  private:
    void chat_or_completion(http_request && request, std::shared_ptr<responder> respond, bool chat);
    void embeddings(http_request && request, std::shared_ptr<responder> respond);
    void list_models(responder & respond);
    void health(responder & respond);

    providers::registry & models_;
    routes_options options_;
};

}  // namespace tiergate::api
