#pragma once
// The router file: "TIERGATE-ROUTER\n", a little-endian u32 format version,
// a u64 length and a JSON header (models, per-model costs, biases, pick rule,
// threshold, lambda, feature settings), then a u64 count and the float32
// weights.

#include "core/error.h"
#include "router/router_model.h"

#include <cstdint>
#include <string>

namespace tiergate::router {

inline constexpr uint32_t router_file_version = 1;

// Writes atomically (temporary file + rename); returns the bytes written.
result<size_t> save_router(const router_model & model, const std::string & path);
result<router_model> load_router(const std::string & path);

}  // namespace tiergate::router
