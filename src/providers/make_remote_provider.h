#pragma once
// The provider for a remote model entry of the configuration.

#include <memory>

#include "config/config.h"
#include "providers/provider.h"
#include "providers/remote_context.h"

namespace tiergate::providers {

// openai_compatible and openai -> openai_compatible_provider, anthropic ->
// anthropic_provider; a local model or a bad endpoint is an error.
result<std::unique_ptr<provider>> make_remote_provider(const config::model_config & model,
                                                       const remote_context & context);

}  // namespace tiergate::providers
