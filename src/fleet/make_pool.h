#pragma once
// The provider of a model with deployments: a pool_provider whose remote
// deployments each get a provider of the model's kind (and its own circuit
// breaker), and whose in-process deployments are the registry's models.
// In a pool of two or more, each deployment is asked once per call (the
// model's retries apply to a pool of one).

#include <memory>

#include "config/config.h"
#include "fleet/pool_hooks.h"
#include "fleet/pool_settings.h"
#include "obs/gateway_metrics.h"
#include "providers/registry.h"
#include "providers/remote_context.h"

namespace tiergate::fleet {

// The in-process models the pool names must be in `models` already and
// outlive the pool. `metrics` may be null; `shared_count` empty: each
// gateway counts RPM/TPM use alone.
result<std::unique_ptr<providers::provider>> make_pool(const config::model_config & model, pool_settings settings,
                                                       const providers::registry & models,
                                                       const providers::remote_context & remote,
                                                       obs::gateway_metrics * metrics,
                                                       shared_count_fn shared_count = {});

}  // namespace tiergate::fleet
