#pragma once
// The spending limit of an agent run (a specialist's max_cost_usd) or of a
// whole plan (the orchestrator's): before each model call the most it can
// cost is reserved, after it the actual cost is settled, so parallel steps
// cannot together pass the limit. A budget may sit inside another one (a
// specialist's run inside a plan): a reservation holds on both.

#include <memory>
#include <mutex>
#include <string>

namespace tiergate::agents {

class run_budget {
  public:
    // limit_usd <= 0: no limit of its own (only the parent's applies)
    run_budget(double limit_usd, run_budget * parent);

    // Reserves `usd`; false (nothing reserved) when it does not fit here or in a parent.
    bool reserve(double usd);
    // Replaces a reservation of `reserved` by the actual cost `spent`.
    void settle(double reserved, double spent);

    double spent() const;
    double limit() const { return limit_; }
    // What is left here and in every parent (infinity without limits).
    double remaining() const;

  private:
    const double limit_;
    run_budget * const parent_;
    mutable std::mutex mu_;
    double reserved_ = 0.0;
    double spent_ = 0.0;
};

}  // namespace tiergate::agents
