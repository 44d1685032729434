#pragma once
// The keys of a call in the answer cache: SHA-256 digests of a canonical,
// length-prefixed serialization of everything that shapes the answer (the
// team, the model asked for, sampling and output parameters, tools, every
// message with whitespace runs collapsed), once whole (the exact key) and
// once without the last user turn's text (the conversation a semantic match
// must share). The stream flag is not part of them: a streamed request and a
// whole one share entries.

#include <string>

#include "core/chat_types.h"

namespace tiergate::cache {

struct call_digest {
    bool cacheable = false;  // false: logprobs asked for, or nothing to key on
    std::string exact;       // 32 raw bytes
    std::string context;     // 32 raw bytes; empty when the call does not end with a user turn
    std::string last_user;   // the last user turn, normalized (what the semantic match compares)
};

call_digest digest_call(const std::string & team, const generation_call & call);

// Trims and collapses every run of whitespace into one space.
std::string normalize_text(const std::string & text);

}  // namespace tiergate::cache
