#pragma once
// Prices per model, filled by the config layer, and the cost of a call.
#include "ledger/usage_record.h"

#include <map>
#include <optional>
#include <string>

namespace tiergate::ledger {

struct model_price {
    double input_usd_per_mtok = 0.0;
    double output_usd_per_mtok = 0.0;
};

struct price_table {
    std::map<std::string, model_price> models;  // by model name; self-hosted models cost 0
    std::string frontier_baseline;              // the model counterfactual costs are computed on

    std::optional<model_price> find(const std::string & model) const;
    // Cost of these tokens on `model`; 0 for a model without a price.
    double cost_usd(const std::string & model, int64_t input_tokens, int64_t output_tokens) const;
    // Cost of these tokens on the frontier baseline.
    double counterfactual_usd(int64_t input_tokens, int64_t output_tokens) const;
    // Fills cost on every attempt, totals, and the counterfactual of the tokens
    // the final answer used (input and output of the last attempt).
    void price(usage_record & record) const;
};

}  // namespace tiergate::ledger
