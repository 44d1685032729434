#pragma once
// What the accounting of a finished request needs: prices, the models' tiers
// and providers, the budget enforcer, the ledger writer and the metrics.
// Shared by every request; thread-safe.

#include <map>
#include <optional>
#include <string>

#include "config/config.h"
#include "ledger/budget_enforcer.h"
#include "ledger/ledger_writer.h"
#include "ledger/price_table.h"
#include "ledger/usage_record.h"
#include "obs/gateway_metrics.h"

namespace tiergate::gateway {

class gateway_accounting {
  public:
    gateway_accounting(const config::config & cfg, ledger::budget_enforcer * budgets, ledger::ledger_writer * ledger,
                       obs::gateway_metrics * metrics);

    const ledger::price_table & prices() const { return prices_; }
    ledger::tier tier_of(const std::string & model) const;
    std::string provider_of(const std::string & model) const;
    ledger::budget_enforcer * budgets() const { return budgets_; }

    // Prices the record, settles or releases the reservation, queues the
    // record and counts it. Blocks only while the ledger queue is full.
    void finish(ledger::usage_record & record, std::optional<ledger::reservation> & held) const;

  private:
    const config::config & cfg_;
    ledger::price_table prices_;
    ledger::budget_enforcer * budgets_;
    ledger::ledger_writer * ledger_;
    obs::gateway_metrics * metrics_;
};

ledger::tier to_ledger_tier(config::model_tier tier);

}  // namespace tiergate::gateway
