#include "fleet/make_pool.h"

#include "fleet/pool_provider.h"
#include "providers/make_remote_provider.h"

namespace tiergate::fleet {

namespace {

// GET endpoint origin + path within the timeout: healthy on 2xx.
probe_fn http_probe(const providers::remote_context & remote, const health_check_settings & health) {
    return [client = remote.client, health](const std::string & endpoint, std::function<void(bool)> done) {
        auto url = providers::parse_endpoint_url(endpoint);
        if (!url) {
            return done(false);
        }
        providers::http_request_spec spec;
        spec.method = "GET";
        spec.target = health.path;
        spec.limits.connect = health.timeout;
        spec.limits.first_byte = health.timeout;
        spec.limits.idle = health.timeout;
        spec.limits.total = health.timeout;
        auto status = std::make_shared<int>(0);
        providers::http_callbacks cb;
        cb.on_head = [status](int s, const providers::header_map &) { *status = s; };
        cb.on_body = [](std::string_view) { return true; };
        cb.on_done = [status, done = std::move(done)](providers::http_outcome && outcome) {
            if (outcome.failure == providers::transport_failure::aborted) {
                return;  // the runtime is stopping: no verdict
            }
            done(outcome.failure == providers::transport_failure::none && *status >= 200 && *status < 300);
        };
        client->start(*url, std::move(spec), std::move(cb));
    };
}

}  // namespace

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
            // each deployment its own breaker, whatever origin it shares with others
            providers::remote_context own = remote;
            own.breakers = std::make_shared<providers::circuit_breaker_registry>(
                remote.breakers ? remote.breakers->options() : providers::circuit_breaker_options{});
            auto p = providers::make_remote_provider(one, own);
            if (!p) {
                return error::invalid("deployment " + d.name + ": " + p.err().message, "deployments");
            }
            m.owned = std::move(*p);
            m.target = d.endpoint;
        }
        members.push_back(std::move(m));
    }
    probe_fn probe;
    if (!settings.health.path.empty()) {
        probe = http_probe(remote, settings.health);
    }
    return std::unique_ptr<providers::provider>(
        std::make_unique<pool_provider>(model, std::move(settings), std::move(members), metrics, std::move(probe),
                                        std::move(shared_count)));
}

}  // namespace tiergate::fleet
