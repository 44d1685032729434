#include "providers/anthropic_provider.h"

#include "providers/anthropic_dialect.h"

namespace tiergate::providers {

namespace {

endpoint_url without_version(endpoint_url url) {
    const std::string v1 = "/v1";
    if (url.base_path.size() >= v1.size() &&
        url.base_path.compare(url.base_path.size() - v1.size(), v1.size(), v1) == 0) {
        url.base_path.resize(url.base_path.size() - v1.size());
    }
    return url;
}

}  // namespace

result<std::unique_ptr<anthropic_provider>> anthropic_provider::create(const config::model_config & model,
                                                                      remote_context context) {
    if (!model.remote) {
        return error::invalid("model '" + model.name + "' has no remote endpoint", "endpoint");
    }
    auto url = parse_endpoint_url(model.remote->endpoint);
    if (!url) {
        return url.err();
    }
    return std::make_unique<anthropic_provider>(model, std::move(*url), std::move(context));
}

anthropic_provider::anthropic_provider(const config::model_config & model, endpoint_url url, remote_context context)
    : remote_provider(model, without_version(std::move(url)), std::move(context),
                      std::make_shared<anthropic_dialect>()) {}

}  // namespace tiergate::providers
