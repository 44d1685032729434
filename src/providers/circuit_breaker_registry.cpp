#include "providers/circuit_breaker_registry.h"

namespace tiergate::providers {

std::shared_ptr<circuit_breaker> circuit_breaker_registry::get(const std::string & origin) {
    std::lock_guard lock(mutex_);
    auto & b = breakers_[origin];
    if (!b) {
        b = std::make_shared<circuit_breaker>(options_);
    }
    return b;
}

}  // namespace tiergate::providers
