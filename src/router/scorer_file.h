#pragma once
// The scorer file, in the router file's frame (router/weights_file.h):
// "TIERGATE-SCORER\n", a u32 version, a JSON header (feature settings, bias,
// the training data's models and costs, the chosen chain and thresholds),
// then the float32 weights.

#include <cstdint>
#include <string>

#include "core/error.h"
#include "router/answer_scorer.h"

namespace tiergate::router {

inline constexpr uint32_t scorer_file_version = 1;

// Writes atomically; returns the bytes written.
result<size_t> save_scorer(const scorer_model & model, const std::string & path);
result<scorer_model> load_scorer(const std::string & path);

}  // namespace tiergate::router
