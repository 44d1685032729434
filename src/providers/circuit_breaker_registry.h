#pragma once
// One circuit breaker per upstream origin (scheme://host:port), shared by
// every model served from it.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "providers/circuit_breaker.h"

namespace tiergate::providers {

class circuit_breaker_registry {
  public:
    explicit circuit_breaker_registry(circuit_breaker_options options = {}) : options_(options) {}
    std::shared_ptr<circuit_breaker> get(const std::string & origin);
    const circuit_breaker_options & options() const { return options_; }

  private:
    circuit_breaker_options options_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<circuit_breaker>> breakers_;
};

}  // namespace tiergate::providers
