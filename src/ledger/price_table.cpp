#include "ledger/price_table.h"

namespace tiergate::ledger {

std::optional<model_price> price_table::find(const std::string & model) const {
    auto it = models.find(model);
    if (it == models.end()) {
        return std::nullopt;
    }
    return it->second;
}

double price_table::cost_usd(const std::string & model, int64_t input_tokens, int64_t output_tokens) const {
    const auto p = find(model);
    if (!p) {
        return 0.0;
    }
    return (static_cast<double>(input_tokens) * p->input_usd_per_mtok +
            static_cast<double>(output_tokens) * p->output_usd_per_mtok) / 1e6;
}

double price_table::counterfactual_usd(int64_t input_tokens, int64_t output_tokens) const {
    return cost_usd(frontier_baseline, input_tokens, output_tokens);
}

void price_table::price(usage_record & record) const {
    for (auto & a : record.attempts) {
        a.cost_usd = cost_usd(a.model, a.input_tokens, a.output_tokens);
    }
    if (!record.attempts.empty()) {
        record.total_from_attempts();
        const auto & last = record.attempts.back();
        record.counterfactual_cost_usd = counterfactual_usd(last.input_tokens, last.output_tokens);
    } else {
        record.cost_usd = record.cache.empty() ? cost_usd(record.model, record.input_tokens, record.output_tokens) : 0.0;
        record.counterfactual_cost_usd = counterfactual_usd(record.input_tokens, record.output_tokens);
    }
}

}  // namespace tiergate::ledger
