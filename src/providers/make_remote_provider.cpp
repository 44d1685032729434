#include "providers/make_remote_provider.h"

#include "providers/anthropic_provider.h"
#include "providers/openai_compatible_provider.h"

namespace tiergate::providers {

result<std::unique_ptr<provider>> make_remote_provider(const config::model_config & model,
                                                       const remote_context & context) {
    switch (model.provider) {
        case provider_kind::local:
            return error::invalid("model '" + model.name + "' is local, not remote", "provider");
        case provider_kind::openai_compatible:
        case provider_kind::openai: {
            auto p = openai_compatible_provider::create(model, context);
            if (!p) {
                return p.err();
            }
            return std::unique_ptr<provider>(std::move(*p));
        }
        case provider_kind::anthropic: {
            auto p = anthropic_provider::create(model, context);
            if (!p) {
                return p.err();
            }
            return std::unique_ptr<provider>(std::move(*p));
        }
    }
    return error{error_kind::internal, "unknown provider kind", "provider", "", {}};
}

}  // namespace tiergate::providers
