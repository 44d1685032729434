#include "admin/models_view.h"

#include <map>

#include "core/percentile.h"

namespace tiergate::admin {

namespace {

struct call_stats {
    int64_t calls = 0;
    int64_t errors = 0;
    int64_t output_tokens = 0;
    double seconds = 0;
    std::vector<double> latency, ttft;
};

template <class T>
nlohmann::json or_null(const std::optional<T> & v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json models_view(const std::vector<ledger::usage_record> & records, const period & p,
                           const config::config & cfg, const providers::registry & models) {
    std::map<std::string, call_stats> by_model;
    for (const auto & r : records) {
        for (const auto & a : r.attempts) {
            if (a.model.empty()) {
                continue;
            }
            auto & s = by_model[a.model];
            ++s.calls;
            s.errors += a.status.ok() ? 0 : 1;
            s.output_tokens += a.output_tokens;
            s.seconds += a.latency_ms / 1000.0;
            s.latency.push_back(a.latency_ms);
            if (a.ttft_ms > 0) {
                s.ttft.push_back(a.ttft_ms);
            }
        }
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto & provider : models.all()) {
        const auto & name = provider->name();
        const config::model_config * model = cfg.find_model(name);
        const auto health = provider->health();
        const call_stats & s = by_model[name];
        nlohmann::json deployments = nlohmann::json::array();
        for (const auto & d : health.deployments) {
            deployments.push_back({{"name", d.name},
                                   {"state", d.state},
                                   {"target", d.target},
                                   {"region", d.region},
                                   {"tags", d.tags},
                                   {"in_flight", d.in_flight},
                                   {"latency_ms", d.latency_ms < 0 ? nlohmann::json(nullptr) : nlohmann::json(d.latency_ms)},
                                   {"requests", d.requests},
                                   {"errors", d.errors},
                                   {"error_rate", d.requests > 0 ? static_cast<double>(d.errors) / d.requests : 0.0},
                                   {"rpm_used", d.rpm_used},
                                   {"tpm_used", d.tpm_used}});
        }
        out.push_back({{"name", name},
                       {"tier", model != nullptr ? config::to_string(model->tier) : "slm"},
                       {"provider", config::to_string(provider->kind())},
                       {"circuit", or_null(health.circuit)},
                       {"slots", or_null(health.slots)},
                       {"slots_in_use", or_null(health.slots_in_use)},
                       {"queued", or_null(health.queued)},
                       {"version", or_null(health.version)},
                       {"requests", s.calls},
                       {"errors", s.errors},
                       {"error_rate", s.calls > 0 ? static_cast<double>(s.errors) / s.calls : 0.0},
                       {"latency_p50_ms", percentile(s.latency, 50)},
                       {"latency_p99_ms", percentile(s.latency, 99)},
                       {"ttft_p50_ms", percentile(s.ttft, 50)},
                       {"output_tokens_per_s", s.seconds > 0 ? s.output_tokens / s.seconds : 0.0},
                       {"deployments", deployments}});
    }
    return {{"from_ms", p.from_ms}, {"to_ms", p.to_ms}, {"models", out}};
}

}  // namespace tiergate::admin
