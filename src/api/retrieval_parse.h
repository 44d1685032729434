#pragma once
// The `tiergate` extension of a chat completion or Messages API body:
//   "tiergate": {"retrieval": {"collections": ["vs_..."], "k": 5,
//                              "score_threshold": 0.2, "filters": {...}}}
//                "cache": false}
// Collections are vector store ids of the caller's team; k is 1..20;
// `cache: false` keeps the call out of the answer cache.

#include <optional>

#include <nlohmann/json.hpp>

#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::api {

// Reads doc["tiergate"] into `call` when present; a wrong type, an unknown
// member or an out-of-range value is a 400 naming the field.
std::optional<error> read_tiergate_extension(const nlohmann::json & doc, generation_call & call);

}  // namespace tiergate::api
