#include "config/env_lookup.h"

#include <cstdlib>

namespace tiergate::config {

env_lookup process_env() {
    return [](const std::string & name) -> std::optional<std::string> {
        const char * value = std::getenv(name.c_str());
        if (value == nullptr) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

env_lookup fixed_env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string & name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

}  // namespace tiergate::config
