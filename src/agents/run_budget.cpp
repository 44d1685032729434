#include "agents/run_budget.h"

#include <algorithm>
#include <limits>

namespace tiergate::agents {

run_budget::run_budget(double limit_usd, run_budget * parent) : limit_(limit_usd), parent_(parent) {}

bool run_budget::reserve(double usd) {
    std::lock_guard lock(mu_);
    if (limit_ > 0.0 && spent_ + reserved_ + usd > limit_ + 1e-12) {
        return false;
    }
    if (parent_ != nullptr && !parent_->reserve(usd)) {
        return false;
    }
    reserved_ += usd;
    return true;
}

void run_budget::settle(double reserved, double spent) {
    {
        std::lock_guard lock(mu_);
        reserved_ = std::max(0.0, reserved_ - reserved);
        spent_ += spent;
    }
    if (parent_ != nullptr) {
        parent_->settle(reserved, spent);
    }
}

double run_budget::spent() const {
    std::lock_guard lock(mu_);
    return spent_;
}

double run_budget::remaining() const {
    double here = std::numeric_limits<double>::infinity();
    {
        std::lock_guard lock(mu_);
        if (limit_ > 0.0) {
            here = std::max(0.0, limit_ - spent_ - reserved_);
        }
    }
    return parent_ != nullptr ? std::min(here, parent_->remaining()) : here;
}

}  // namespace tiergate::agents
