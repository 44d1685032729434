#include "fleet/make_pool.h"

#include "fleet/http_probe.h"
#include "fleet/pool_provider.h"
#include "providers/make_remote_provider.h"

namespace tiergate::fleet {

result<std::unique_ptr<providers::provider>> make_pool(const config::model_config & model, pool_settings settings,
                                                       const providers::registry & models,
                                                       const providers::remote_context & remote,
                                                       obs::gateway_metrics * metrics,
                                                       shared_count_fn shared_count) {
    std::vector<pool_member> members;
    for (const auto & d : settings.deployments) {
        pool_member m;
        m.settings = d;
        if (!d.local_model.empty()) {
            m.borrowed = models.find(d.local_model);
            if (m.borrowed == nullptr) {
                return error::invalid("deployment " + d.name + ": model '" + d.local_model + "' is not loaded",
                                      "deployments");
            }
            m.target = d.local_model;
        } else {
            config::model_config one = model;
            one.remote = config::remote_model{d.endpoint, d.api_key_env};
            if (settings.deployments.size() > 1) {
                // the pool fails over to another deployment instead of waiting to ask this one again
                one.retries.max_attempts = 1;
            }
            // each deployment its own breaker, whatever origin it shares with others
            providers::remote_context own = remote;
            own.breakers = std::make_shared<providers::circuit_breaker_registry>(
                remote.breakers ? remote.breakers->options() : providers::circuit_breaker_options{});
            auto p = providers::make_remote_provider(one, own);
            if (!p) {
                return error::invalid("deployment " + d.name + ": " + p.err().message, "deployments");
            }
            m.owned = std::move(*p);
            if (auto url = providers::parse_endpoint_url(d.endpoint)) {
                m.breaker = own.breakers->get(url->origin());  // the provider's own, by the same key
            }
            m.target = d.endpoint;
        }
        members.push_back(std::move(m));
    }
    probe_fn probe;
    if (!settings.health.path.empty()) {
        probe = http_probe(remote, settings.health, model.provider);
    }
    return std::unique_ptr<providers::provider>(
        std::make_unique<pool_provider>(model, std::move(settings), std::move(members), metrics, std::move(probe),
                                        std::move(shared_count)));
}

}  // namespace tiergate::fleet
