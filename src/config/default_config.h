#pragma once
// The embedded default, used when no config file is given: every *.gguf in
// the model directory becomes a local model named after the file
// (stories260K.gguf -> stories260K), tier slm, residency on_prem, price 0,
// served on 127.0.0.1:8080 without virtual keys.

#include <filesystem>

#include "config/config.h"
#include "config/env_lookup.h"

namespace tiergate::config {

// TIERGATE_MODEL_DIR, or ./models.
std::filesystem::path default_model_dir(const env_lookup & env = process_env());

// Models are sorted by name. An empty or missing directory gives a config with
// no models (the server then has nothing to serve and says so).
config build_default_config(const std::filesystem::path & model_dir);
config build_default_config(const env_lookup & env = process_env());

}  // namespace tiergate::config
