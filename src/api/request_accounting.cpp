#include "api/request_accounting.h"

#include "core/error.h"

namespace tiergate::api {

double token_cost(const config::model_price & price, const usage & tokens) {
    return (price.input_per_mtok * tokens.prompt_tokens + price.output_per_mtok * tokens.completion_tokens) / 1e6;
}

accounting_observer::accounting_observer(std::shared_ptr<generation_observer> inner, obs::gateway_metrics & metrics,
                                         const config::config * cfg, request_labels labels)
    : inner_(std::move(inner)), metrics_(metrics), cfg_(cfg), labels_(std::move(labels)) {}

void accounting_observer::on_delta(generation_delta && delta) {
    if (ttft_s_ < 0.0 && !delta.content.empty()) {
        ttft_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    inner_->on_delta(std::move(delta));
}

void accounting_observer::on_end(generation_end && end) {
    const double latency_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::string status =
        end.failure ? std::to_string(http_status(end.failure->kind)) : (end.finish_reason == "cancelled" ? "499" : "200");
    const std::string & model = end.model.empty() ? labels_.model : end.model;

    metrics_.requests.with({labels_.tier, model, labels_.route, status}).inc();
    metrics_.latency_seconds.with({labels_.tier, model, labels_.route, status}).observe(latency_s);
    if (ttft_s_ >= 0.0) {
        metrics_.ttft_seconds.with({labels_.tier, model, labels_.route}).observe(ttft_s_);
    }
    metrics_.tokens.with({labels_.tier, model, "input"}).inc(end.tokens.prompt_tokens);
    metrics_.tokens.with({labels_.tier, model, "output"}).inc(end.tokens.completion_tokens);
    if (cfg_ != nullptr) {
        const auto * entry = cfg_->find_model(model);
        const auto * baseline = cfg_->baseline();
        const double cost = entry ? token_cost(entry->price, end.tokens) : 0.0;
        metrics_.cost_usd.with({labels_.tier, model}).inc(cost);
        if (baseline != nullptr) {
            const double counterfactual = token_cost(baseline->price, end.tokens);
            metrics_.counterfactual_cost_usd.with({labels_.tier, model}).inc(counterfactual);
            metrics_.savings_usd.with({labels_.tier, model}).inc(counterfactual - cost);
        }
    }
    inner_->on_end(std::move(end));
}

}  // namespace tiergate::api
