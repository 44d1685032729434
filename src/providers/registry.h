#pragma once
// The configured models by name (and alias), each behind its provider.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "providers/provider.h"

namespace tiergate::providers {

class registry {
  public:
    // Takes ownership; the name must be new.
    bool add(std::unique_ptr<provider> p);
    bool add_alias(const std::string & alias, const std::string & target);
    provider * find(const std::string & name) const;
    const std::vector<std::unique_ptr<provider>> & all() const { return providers_; }

  private:
    std::vector<std::unique_ptr<provider>> providers_;
    std::map<std::string, provider *, std::less<>> by_name_;
};

}  // namespace tiergate::providers
