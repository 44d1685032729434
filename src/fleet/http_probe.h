#pragma once
// Active health checks over HTTP: GET the deployment's origin + `path`
// within `timeout`, with its API key as its provider kind sends it
// (Authorization: Bearer, or x-api-key for anthropic); 2xx is healthy.

#include "config/model_enums.h"
#include "fleet/pool_hooks.h"
#include "providers/remote_context.h"

namespace tiergate::fleet {

probe_fn http_probe(const providers::remote_context & remote, const health_check_settings & health,
                    config::provider_kind kind);

}  // namespace tiergate::fleet
