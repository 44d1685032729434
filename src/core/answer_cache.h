#pragma once
// The answer cache as the request path sees it: a call is looked up before
// it is routed (an exact match of the normalized request, or a semantic one:
// the same conversation before the last user turn and a last turn close
// enough), and a fresh answer is kept afterwards. Entries belong to a team;
// a lookup never returns another team's answer.

#include <optional>
#include <string>
#include <vector>

#include "core/chat_types.h"

namespace tiergate {

struct cached_answer {
    std::string text;
    std::string model;          // the model that produced it
    std::string finish_reason;  // stop | length
    usage tokens;
};

struct cache_hit {
    cached_answer answer;
    std::string kind;  // exact | semantic
    double similarity = 1.0;
};

// What a lookup computed, handed back to keep() so the answer is stored
// under the same keys without hashing or embedding the call again.
struct cache_ticket {
    std::string team;
    std::string exact;    // digest of the whole normalized call
    std::string context;  // digest of the call without its last user turn
    std::vector<float> query;  // the last user turn's vector; empty: no semantic entry
    std::string query_text;    // the last user turn, normalized
};

class answer_cache {
  public:
    virtual ~answer_cache() = default;
    // Fills `ticket` whether or not there is a hit.
    virtual std::optional<cache_hit> find(const std::string & team, const generation_call & call,
                                          cache_ticket & ticket) = 0;
    virtual void keep(const cache_ticket & ticket, cached_answer answer) = 0;
};

}  // namespace tiergate
