#include "providers/registry.h"

namespace tiergate::providers {

bool registry::add(std::unique_ptr<provider> p) {
    if (!p || by_name_.count(p->name()) != 0) {
        return false;
    }
    by_name_[p->name()] = p.get();
    providers_.push_back(std::move(p));
    return true;
}

bool registry::add_alias(const std::string & alias, const std::string & target) {
    provider * p = find(target);
    if (p == nullptr || by_name_.count(alias) != 0) {
        return false;
    }
    by_name_[alias] = p;
    return true;
}

provider * registry::find(const std::string & name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace tiergate::providers
