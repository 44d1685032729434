#pragma once
// Prefix affinity: calls whose prompts share a long prefix (a system prompt,
// retrieved context, the history of a conversation) go to the deployment
// that most likely holds that prefix in its KV cache.
//
// The prompt is cut into blocks of `block_bytes`; each block's hash chains
// the hashes before it, so equal hashes mean equal prefixes. The pool
// remembers which deployment last served each block (a bounded memory of
// the newest blocks) and sends a call to the deployment holding its longest
// remembered prefix. A prefix it has not seen goes where consistent hashing
// of the first block puts it, the same deployment on every replica. Bounded
// load: a deployment with more than load_factor times the mean calls in
// flight (+1) is passed over for the next one on the ring, so one hot
// prefix cannot overload a node.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/chat_types.h"
#include "fleet/pool_settings.h"

namespace tiergate::fleet {

class prefix_affinity {
  public:
    prefix_affinity(affinity_settings settings, const std::vector<std::string> & deployment_names);

    // The chained hashes of the prompt's whole blocks (empty when the prompt
    // is shorter than min_bytes). The prompt is each message's role and
    // content in order (tool calls included), or a completion's prompt.
    std::vector<uint64_t> block_hashes(const generation_call & call) const;

    // Where the call with these blocks should go: among deployments with
    // usable[i], under the load bound. nullopt: no preference.
    std::optional<size_t> choose(const std::vector<uint64_t> & blocks, const std::vector<int64_t> & in_flight,
                                 const std::vector<bool> & usable) const;

    // The blocks were sent to `deployment`.
    void remember(const std::vector<uint64_t> & blocks, size_t deployment);

    // 64-bit FNV-1a with a final mix: the same on every replica and build.
    static uint64_t hash(const void * data, size_t size, uint64_t seed);

  private:
    std::optional<size_t> remembered(uint64_t block) const;

    affinity_settings settings_;
    std::vector<std::pair<uint64_t, size_t>> ring_;  // point, deployment; sorted
    size_t deployments_ = 0;
    mutable std::mutex mutex_;
    // the newest blocks: two generations, the older dropped when the newer fills
    std::unordered_map<uint64_t, uint32_t> newer_;
    std::unordered_map<uint64_t, uint32_t> older_;
};

}  // namespace tiergate::fleet
