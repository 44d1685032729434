#include "route_plan_test_support.h"

#include <gtest/gtest.h>

#include "config/env_lookup.h"

namespace tiergate::router::testing {

config::load_result load(const std::string & yaml) {
    config::env_lookup env = [](const std::string & name) -> std::optional<std::string> {
        if (name == "FRONTIER_KEY" || name == "MID_KEY") {
            return std::string("test-key");
        }
        return std::nullopt;
    };
    return config::load_config_text(yaml, "test.yaml", TIERGATE_SHARED_DIR "/models", env);
}

std::string three_models(const std::string & extra) {
    return "model_dir: " TIERGATE_SHARED_DIR "/models\n" R"(models:
  - name: slm
    provider: local
    tier: slm
    path: stories260K.gguf
  - name: mid
    provider: openai_compatible
    endpoint: http://127.0.0.1:9/v1
    api_key_env: MID_KEY
    tier: mid
    residency: on_prem
    price: { input_per_mtok: 0.5, output_per_mtok: 1.5 }
    capabilities: [logprobs]
  - name: frontier
    aliases: [big]
    provider: openai_compatible
    endpoint: https://api.example.com/v1
    api_key_env: FRONTIER_KEY
    tier: frontier
    residency: external
    price: { input_per_mtok: 10, output_per_mtok: 30 }
    capabilities: [json_schema, logprobs, tools]
)" + extra;
}

}  // namespace tiergate::router::testing
