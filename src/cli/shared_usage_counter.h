#pragma once
// The pools' shared RPM/TPM counting (fleet::shared_count_fn) over the
// budgets' counter backend (Redis, shared by every replica).

#include <memory>

#include "fleet/pool_hooks.h"
#include "ledger/budget_counter.h"

namespace tiergate::cli {

fleet::shared_count_fn shared_count_in(std::shared_ptr<ledger::counter_backend> counters);

}  // namespace tiergate::cli
