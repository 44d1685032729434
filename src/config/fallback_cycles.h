#pragma once
// Fallback chains must end: a model falling back (directly or not) to itself
// would loop forever once every provider fails.

#include <map>
#include <string>
#include <vector>

namespace tiergate::config {

// Edges: model name -> its fallbacks (names only; unknown names are ignored).
// Returns one cycle as a path that starts and ends at the same model, e.g.
// {"a", "b", "c", "a"}, or an empty vector when there is none.
std::vector<std::string> find_fallback_cycle(const std::map<std::string, std::vector<std::string>> & edges);

}  // namespace tiergate::config
