#include "fleet/http_probe.h"

namespace tiergate::fleet {

probe_fn http_probe(const providers::remote_context & remote, const health_check_settings & health,
                    config::provider_kind kind) {
    return [client = remote.client, env = remote.env, health, kind](const deployment_settings & d,
                                                                    std::function<void(std::optional<bool>)> done) {
        auto url = providers::parse_endpoint_url(d.endpoint);
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
        if (!d.api_key_env.empty() && env) {
            if (auto key = env(d.api_key_env); key && !key->empty()) {
                if (kind == config::provider_kind::anthropic) {
                    spec.headers.emplace_back("x-api-key", *key);
                } else {
                    spec.headers.emplace_back("Authorization", "Bearer " + *key);
                }
            }
        }
        auto status = std::make_shared<int>(0);
        providers::http_callbacks cb;
        cb.on_head = [status](int s, const providers::header_map &) { *status = s; };
        cb.on_body = [](std::string_view) { return true; };
        cb.on_done = [status, done = std::move(done)](providers::http_outcome && outcome) {
            if (outcome.failure == providers::transport_failure::aborted) {
                return done(std::nullopt);  // the runtime is stopping: no verdict
            }
            done(outcome.failure == providers::transport_failure::none && *status >= 200 && *status < 300);
        };
        client->start(*url, std::move(spec), std::move(cb));
    };
}

}  // namespace tiergate::fleet
