#pragma once
// What a virtual key may use: a list of models and a list of tiers; an empty
// list allows everything of that kind.

#include <string>
#include <string_view>
#include <vector>

#include "config/model_enums.h"

namespace tiergate::auth {

struct key_scope {
    std::vector<std::string> models;          // canonical model names; empty: any model
    std::vector<config::model_tier> tiers;    // empty: any tier

    bool allows_model(std::string_view model) const;
    bool allows_tier(config::model_tier tier) const;
    // "models a,b; tiers slm" or "all models"
    std::string describe() const;
};

}  // namespace tiergate::auth
