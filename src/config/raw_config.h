#pragma once
// The config as written: every field optional (absent or given), each with
// its position in the file, before any meaning is checked. Built by
// parse_raw_config(), checked and turned into `config` by validate_config().

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/map_reader.h"

namespace tiergate::config {

template <class T>
using raw_opt = std::optional<located<T>>;
using raw_strings = std::vector<located<std::string>>;

struct raw_server {
    source_pos pos;
    raw_opt<std::string> host;
    raw_opt<int64_t> port;
    raw_opt<int64_t> max_body_bytes;
    raw_opt<int64_t> read_timeout_ms;
    raw_opt<int64_t> idle_timeout_ms;
    raw_opt<int64_t> request_timeout_ms;
    raw_opt<int64_t> threads;
};

struct raw_price {
    source_pos pos;
    raw_opt<double> input_per_mtok;
    raw_opt<double> output_per_mtok;
};

struct raw_timeouts {
    source_pos pos;
    raw_opt<int64_t> connect_ms;
    raw_opt<int64_t> first_byte_ms;
    raw_opt<int64_t> idle_ms;
    raw_opt<int64_t> total_ms;
};

struct raw_retries {
    source_pos pos;
    raw_opt<int64_t> max_attempts;
    raw_opt<int64_t> base_backoff_ms;
};

struct raw_model {
    source_pos pos;
    std::string path;  // models[i]
    raw_opt<std::string> name;
    raw_opt<raw_strings> aliases;
    raw_opt<std::string> provider;
    raw_opt<std::string> endpoint;
    raw_opt<std::string> api_key_env;
    raw_opt<std::string> tier;
    std::optional<raw_price> price;
    raw_opt<std::string> residency;
    raw_opt<int64_t> context_window;
    raw_opt<raw_strings> fallbacks;
    raw_opt<raw_strings> capabilities;
    raw_opt<std::string> model_path;  // `path`
    raw_opt<int64_t> parallel;
    raw_opt<int64_t> ctx;
    raw_opt<int64_t> threads;
    raw_opt<int64_t> batch;
    raw_opt<bool> embedding;
    std::optional<raw_timeouts> timeouts;
    std::optional<raw_retries> retries;
    YAML::Node deployments;  // read strictly by the fleet module
    YAML::Node balancing;    // read strictly by the fleet module
};

struct raw_router {
    source_pos pos;
    raw_opt<std::string> default_model;
    YAML::Node node;  // the whole mapping, read strictly by the router module
};

struct raw_guard {
    raw_opt<bool> enabled;
    YAML::Node node;  // the whole mapping, read strictly by the guard module
};

struct raw_ledger {
    raw_opt<std::string> store;
    raw_opt<int64_t> group_commit_ms;
};

struct raw_keys {
    raw_opt<std::string> store;
};

struct raw_config {
    std::optional<raw_server> server;
    raw_opt<std::string> model_dir;
    std::vector<raw_model> models;
    source_pos models_pos;
    raw_opt<std::string> frontier_baseline;
    std::optional<raw_router> router;
    std::optional<raw_guard> guard;
    YAML::Node budgets;
    YAML::Node retrieval;
    YAML::Node cache;
    YAML::Node distill;
    YAML::Node agents;
    YAML::Node admin;
    std::optional<raw_ledger> ledger;
    std::optional<raw_keys> keys;
};

}  // namespace tiergate::config
