#pragma once
// Which key store `tiergate keys ...` works on: --store PATH, else keys.store
// of the config given with --config, else of ./tiergate.yaml when it exists.

#include <filesystem>
#include <optional>
#include <string>

#include "config/config.h"
#include "config/env_lookup.h"
#include "core/error.h"

namespace tiergate::auth {

struct key_store_location {
    std::filesystem::path path;
    std::optional<config::config> cfg;  // when read from a config: its models check --models
};

result<key_store_location> locate_key_store(const std::string & store_flag, const std::string & config_flag,
                                            const config::env_lookup & env = config::process_env());

}  // namespace tiergate::auth
