#pragma once
// A model behind the Anthropic Messages API (provider kind anthropic). The
// endpoint is the API's base URL (https://api.anthropic.com); a trailing /v1
// is accepted too. No embeddings.

#include <memory>

#include "providers/remote_provider.h"

namespace tiergate::providers {

class anthropic_provider final : public remote_provider {
  public:
    static result<std::unique_ptr<anthropic_provider>> create(const config::model_config & model,
                                                              remote_context context);

    anthropic_provider(const config::model_config & model, endpoint_url url, remote_context context);
};

}  // namespace tiergate::providers
