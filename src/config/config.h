#pragma once
// The runtime configuration: validated, typed, defaults applied. Built by
// load_config_file() (a YAML file) or build_default_config() (no file).
// Every duration is in milliseconds; relative paths are already resolved.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config_error.h"
#include "config/model_enums.h"

namespace tiergate::config {

using millis = std::chrono::milliseconds;

struct server_config {
    std::string host = "127.0.0.1";
    int port = 8080;
    int64_t max_body_bytes = 8 * 1024 * 1024;  // larger request bodies get 413
    millis read_timeout{30'000};               // to receive a whole request from the client, from its first byte
    millis idle_timeout{75'000};               // a kept-alive connection waiting for its next request
    millis request_timeout{600'000};           // whole-request deadline, provider calls included
    int threads = 0;                           // HTTP worker threads; 0: one per core
};

// US dollars per million tokens.
struct model_price {
    double input_per_mtok = 0.0;
    double output_per_mtok = 0.0;
};

// Per-attempt limits of a provider call; a zero duration means "no limit".
struct model_timeouts {
    millis connect{10'000};
    millis first_byte{60'000};  // until the first response byte (first token when streaming)
    millis idle{30'000};        // longest silence between two streamed chunks
    millis total{300'000};      // one attempt, start to end
};

struct retry_policy {
    int max_attempts = 2;   // attempts on this model before its fallbacks, >= 1
    millis base_backoff{200};  // doubled after each failed attempt, with jitter
};

// provider: local. Passed to the engine (engine::model_options).
struct local_model {
    std::filesystem::path path;  // an existing GGUF file, absolute
    int parallel = 4;            // slots decoded together
    int ctx = 0;                 // context tokens PER SLOT; 0: the model's training context, at most 4096
    int threads = 0;             // 0: all cores
    int batch = 512;             // tokens per decode step
    bool embedding = true;       // serve /v1/embeddings from this model
};

// provider: openai_compatible | openai | anthropic.
struct remote_model {
    std::string endpoint;     // base URL, http(s)://host[:port]/path, no trailing slash
    std::string api_key_env;  // NAME of the environment variable holding the key; empty: no key sent
};

// A section whose fields the owning module reads itself, strictly, with
// map_reader (errors then carry `file` and the line of `node`).
struct yaml_section {
    YAML::Node node;   // null when the section is absent
    std::string file;
    std::string path;  // e.g. "router.rules"
    bool present() const { return node.IsDefined() && !node.IsNull(); }
};

struct model_config {
    std::string name;
    std::vector<std::string> aliases;  // other names clients may send as `model`
    provider_kind provider = provider_kind::local;
    model_tier tier = model_tier::slm;
    data_residency residency = data_residency::on_prem;
    model_price price;
    int context_window = 0;  // tokens, 0: unknown
    std::vector<std::string> fallbacks;  // canonical model names, tried in order
    std::vector<model_capability> capabilities;
    std::optional<local_model> local;    // set iff provider == local
    std::optional<remote_model> remote;  // set iff provider is remote
    model_timeouts timeouts;
    retry_policy retries;
    source_pos pos;  // where the entry starts in the file
    // Remote models only: several deployments of the model and how calls are
    // spread over them, read by the fleet module (fleet/pool_settings).
    yaml_section deployments;  // models[i].deployments; absent: one endpoint
    yaml_section balancing;    // models[i].balancing

    bool has(model_capability capability) const;
};

// The router, guard and budgets sections are read strictly by the modules
// that own them (router/route_settings, guard/guard_settings,
// ledger/budget_settings); the config module keeps the whole node.
struct router_config {
    std::string default_model;  // canonical name; used when no stage decides
    yaml_section section;       // the whole `router` mapping, owned by the router module
};

struct guard_config {
    bool enabled = true;
    yaml_section section;  // the whole `guard` mapping, owned by the guard module
};

struct budgets_config {
    yaml_section section;  // the whole `budgets` mapping, owned by the ledger module
};

struct retrieval_config {
    yaml_section section;  // the whole `retrieval` mapping, owned by the rag module
};

struct cache_config {
    yaml_section section;  // the whole `cache` mapping, owned by the cache module
};

struct distill_config {
    yaml_section section;  // the whole `distill` mapping, owned by the distill module
};

struct agents_config {
    yaml_section section;  // the whole `agents` mapping, owned by the agents module
};

struct admin_config {
    yaml_section section;  // the whole `admin` mapping, owned by the admin module
};

struct ledger_config {
    std::string store;              // "sqlite:PATH" or "postgresql://..."; empty: usage is not recorded
    millis group_commit{50};        // usage records are written together at most this often
};

struct keys_config {
    std::optional<std::filesystem::path> store;  // SQLite key store; absent: no virtual keys
};

struct config {
    std::string source;  // the file read, or "<embedded default>"
    std::filesystem::path base_dir;  // relative paths in module sections resolve against it
    server_config server;
    std::filesystem::path model_dir;
    std::vector<model_config> models;
    std::string frontier_baseline;  // canonical model name, empty: no baseline (no savings reported)
    router_config router;
    guard_config guard;
    budgets_config budgets;
    ledger_config ledger;
    retrieval_config retrieval;
    cache_config cache;
    distill_config distill;
    agents_config agents;
    admin_config admin;
    keys_config keys;

    // By name or alias; nullptr when unknown.
    const model_config * find_model(std::string_view name_or_alias) const;
    const model_config * baseline() const { return find_model(frontier_baseline); }
    // Rebuilds the name/alias index; call after changing `models`.
    void reindex();

  private:
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace tiergate::config
