#pragma once
// Where configuration reads environment variables from: the process, or a
// fixed map (tests, `config check` against a planned environment).

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace tiergate::config {

using env_lookup = std::function<std::optional<std::string>(const std::string & name)>;

env_lookup process_env();
env_lookup fixed_env(std::map<std::string, std::string> vars);

}  // namespace tiergate::config
