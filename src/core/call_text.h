#pragma once
// The texts of a call that decisions are taken on (the router's features,
// the answer cache's key, an agent's intent and plan).

#include <string>

#include "core/chat_types.h"

namespace tiergate {

// Every message's content, one per line; a completion's prompt.
std::string joined_text(const generation_call & call);
// The last user message's content (the last message's when no user spoke);
// a completion's prompt.
std::string last_user_text(const generation_call & call);

}  // namespace tiergate
