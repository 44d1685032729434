#include "auth/key_scope.h"

#include <algorithm>

namespace tiergate::auth {

bool key_scope::allows_model(std::string_view model) const {
    return models.empty() || std::find(models.begin(), models.end(), model) != models.end();
}

bool key_scope::allows_tier(config::model_tier tier) const {
    return tiers.empty() || std::find(tiers.begin(), tiers.end(), tier) != tiers.end();
}

std::string key_scope::describe() const {
    std::string out = "models ";
    if (models.empty()) {
        out += "*";
    }
    for (std::size_t i = 0; i < models.size(); ++i) {
        out += (i == 0 ? "" : ",") + models[i];
    }
    out += "; tiers ";
    if (tiers.empty()) {
        out += "*";
    }
    for (std::size_t i = 0; i < tiers.size(); ++i) {
        out += std::string(i == 0 ? "" : ",") + config::to_string(tiers[i]);
    }
    return out;
}

}  // namespace tiergate::auth
