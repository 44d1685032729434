#pragma once
// How retrieved passages enter a call: numbered, after a short instruction
// to answer from them and cite them as [n], at the end of the first system
// message (or in a new system message first, so every chat template takes
// it). The guard then scans them like the rest of the prompt.

#include <string>

#include "core/chat_types.h"
#include "core/retrieval.h"

namespace tiergate::gateway {

void add_passages(generation_call & call, const retrieved_context & context);

// The passages as the ledger records them: "collection:chunk_id" separated by spaces.
std::string retrieved_ids(const retrieved_context & context);

}  // namespace tiergate::gateway
