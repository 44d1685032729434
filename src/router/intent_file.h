#pragma once
// The intent file: "TIERGATE-INTENTS\n", a little-endian u32 format version,
// a u64 length and a JSON header (intents, their domains, biases, softmax
// temperature, out-of-scope threshold, feature settings, training summary),
// then a u64 count and the float32 weights (feature dimension x intents,
// row-major).

#include "core/error.h"
#include "router/intent_model.h"

#include <cstdint>
#include <string>

namespace tiergate::router {

inline constexpr uint32_t intent_file_version = 1;

// Writes atomically (temporary file + rename); returns the bytes written.
result<size_t> save_intents(const intent_model & model, const std::string & path);
// Validates everything: a truncated or hostile file is an error, never a
// crash, and no memory is taken that the file's size does not justify.
result<intent_model> load_intents(const std::string & path);

}  // namespace tiergate::router
