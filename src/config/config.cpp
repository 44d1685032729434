#include "config/config.h"

#include <algorithm>

namespace tiergate::config {

bool model_config::has(model_capability capability) const {
    return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

const model_config * config::find_model(std::string_view name_or_alias) const {
    auto it = index_.find(std::string(name_or_alias));
    if (it == index_.end()) {
        return nullptr;
    }
    return &models[it->second];
}

void config::reindex() {
    index_.clear();
    for (std::size_t i = 0; i < models.size(); ++i) {
        index_.emplace(models[i].name, i);
        for (const auto & alias : models[i].aliases) {
            index_.emplace(alias, i);
        }
    }
}

}  // namespace tiergate::config
