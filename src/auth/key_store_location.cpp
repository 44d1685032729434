#include "auth/key_store_location.h"

#include "config/load_config.h"

namespace tiergate::auth {

result<key_store_location> locate_key_store(const std::string & store_flag, const std::string & config_flag,
                                            const config::env_lookup & env) {
    if (!store_flag.empty()) {
        return key_store_location{store_flag, std::nullopt};
    }
    std::filesystem::path config_path = config_flag;
    if (config_path.empty()) {
        if (!std::filesystem::exists("tiergate.yaml")) {
            return error::invalid("no key store: pass --store PATH, or --config FILE whose keys.store names one",
                                  "store");
        }
        config_path = "tiergate.yaml";
    }
    config::load_result loaded = config::load_config_file(config_path, env);
    if (!loaded.ok()) {
        return error::invalid("the config is not valid:\n" + loaded.errors_text(), "config");
    }
    if (!loaded.value->keys.store) {
        return error::invalid(config_path.string() + " has no keys.store: set it, or pass --store PATH", "store");
    }
    std::filesystem::path path = *loaded.value->keys.store;
    return key_store_location{path, std::move(*loaded.value)};
}

}  // namespace tiergate::auth
