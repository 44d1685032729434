#include "gateway/gateway_accounting.h"

#include "ledger/record_metrics.h"
#include "obs/log.h"

namespace tiergate::gateway {

ledger::tier to_ledger_tier(config::model_tier tier) {
    switch (tier) {
        case config::model_tier::slm: return ledger::tier::slm;
        case config::model_tier::mid: return ledger::tier::mid;
        case config::model_tier::frontier: return ledger::tier::frontier;
    }
    return ledger::tier::slm;
}

gateway_accounting::gateway_accounting(const config::config & cfg, ledger::budget_enforcer * budgets,
                                       ledger::ledger_writer * ledger, obs::gateway_metrics * metrics)
    : cfg_(cfg), budgets_(budgets), ledger_(ledger), metrics_(metrics) {
    for (const auto & m : cfg.models) {
        prices_.models[m.name] = {m.price.input_per_mtok, m.price.output_per_mtok};
    }
    prices_.frontier_baseline = cfg.frontier_baseline;
}

ledger::tier gateway_accounting::tier_of(const std::string & model) const {
    const auto * m = cfg_.find_model(model);
    return m ? to_ledger_tier(m->tier) : ledger::tier::slm;
}

std::string gateway_accounting::provider_of(const std::string & model) const {
    const auto * m = cfg_.find_model(model);
    return m ? config::to_string(m->provider) : "";
}

void gateway_accounting::finish(ledger::usage_record & record, std::optional<ledger::reservation> & held) const {
    prices_.price(record);
    if (held && budgets_ != nullptr) {
        const int64_t tokens = record.input_tokens + record.output_tokens;
        auto settled = budgets_->settle(*held, record.cost_usd, tokens);
        if (!settled) {
            TIERGATE_LOG_ERROR("budget: settling request {} failed: {}", record.request_id, settled.err().message);
        }
        held.reset();
    }
    if (metrics_ != nullptr) {
        ledger::record_metrics(*metrics_, record);
    }
    if (ledger_ != nullptr) {
        if (ledger_->try_submit(record) == ledger::submit_status::queue_full) {
            ledger_->submit(record);  // backpressure: wait for room rather than lose the record
        }
    }
}

}  // namespace tiergate::gateway
