#pragma once
// A remote model's pool of deployments and how calls are spread over it,
// read strictly from its config entry (unknown fields, wrong types and bad
// values are errors with file, line and field):
//
//   - name: mid
//     provider: openai_compatible
//     deployments:
//       - {name: east, endpoint: http://10.0.0.5:8000/v1, api_key_env: EAST_KEY,
//          weight: 2, rpm: 600, tpm: 200000, max_concurrency: 16, region: us-east, tags: [a100]}
//       - {name: slm, model: local-slm}      # an in-process model of this config
//     balancing:
//       strategy: weighted | least_busy | latency | usage
//       exploration: 0.1                     # latency: share of calls sent to a random deployment
//       latency_of: ttft | total             # latency: what the average tracks
//       cooldown_ms: 5000                    # a deployment that answers 429 rests this long (or its Retry-After)
//       health_check: {path: /health, interval_ms: 5000, timeout_ms: 2000}   # with the deployment's key
//       prefix_affinity: {block_bytes: 256, load_factor: 1.25, min_bytes: 256}

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_error.h"
#include "config/env_lookup.h"

namespace tiergate::fleet {

using millis = std::chrono::milliseconds;

enum class balance_strategy { weighted, least_busy, latency, usage };
const char * to_string(balance_strategy s);

struct deployment_settings {
    std::string name;         // unique in its pool; default: the endpoint's host:port or the local model's name
    std::string endpoint;     // a remote deployment's base URL; empty for an in-process model
    std::string api_key_env;  // default: the model's api_key_env
    std::string local_model;  // `model`: the name of an in-process (provider: local) model of the config
    double weight = 1.0;      // weighted: its share of calls relative to the others
    int64_t rpm = 0;          // requests per minute it accepts; 0: no limit
    int64_t tpm = 0;          // tokens (prompt + completion) per minute; 0: no limit
    int max_concurrency = 0;  // calls at once; 0: no limit (an in-process model: its parallel slots)
    std::string region;
    std::vector<std::string> tags;
};

struct health_check_settings {
    std::string path;           // GET origin + path; empty: no active checks (errors alone take a deployment out)
    millis interval{5'000};
    millis timeout{2'000};     // default: 2 s, at most half the interval; must be shorter than it
};

struct affinity_settings {
    size_t block_bytes = 256;   // the prompt is hashed in blocks of this many bytes
    size_t min_bytes = 256;     // shorter prompts are balanced by the strategy alone
    double load_factor = 1.25;  // a deployment takes at most this times the mean calls in flight (+1)
    size_t remembered_blocks = 1 << 16;  // block hashes remembered with the deployment that last saw them
};

struct pool_settings {
    std::string model;  // the model's name
    balance_strategy strategy = balance_strategy::weighted;
    double exploration = 0.1;
    bool latency_of_ttft = true;
    millis cooldown{5'000};
    std::vector<deployment_settings> deployments;
    health_check_settings health;
    std::optional<affinity_settings> affinity;
};

// The pool of `model`, nullopt when it has no deployments (or on errors,
// recorded in `errors`). Local deployments must name a local model of `cfg`.
// Keys named by api_key_env are looked up in `env` (a missing one is an error).
std::optional<pool_settings> read_pool_settings(const config::config & cfg, const config::model_config & model,
                                                const config::env_lookup & env, config::config_errors & errors);

}  // namespace tiergate::fleet
