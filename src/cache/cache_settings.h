#pragma once
// The `cache` section of a config, read strictly (errors carry the file,
// line and field):
//   cache:
//     ttl_s: 3600          # an answer is served from the cache this long
//     max_entries: 10000   # least recently used answers go first
//     semantic: true       # also match a close enough last user turn
//     similarity: 0.85     # the cosine that counts as close enough (and the question's terms kept)
//     max_answer_kb: 256   # longer answers are not kept
//     models:              # per requested model name (a route): `auto`, or a model or alias
//       auto: { similarity: 0.92 }
//       frontier: { semantic: false }
// An absent section: no cache.

#include <optional>

#include "cache/answer_store.h"
#include "config/config.h"
#include "config/config_error.h"

namespace tiergate::cache {

std::optional<answer_store_settings> read_cache_settings(const config::config & cfg, config::config_errors & errors);

}  // namespace tiergate::cache
