#include "fleet/prefix_affinity.h"

#include <algorithm>
#include <cmath>

namespace tiergate::fleet {

namespace {

constexpr int ring_points_per_deployment = 64;

uint64_t mix(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

void append_message(std::string & out, const chat_message & m) {
    out += m.role;
    out += '\n';
    out += m.content;
    for (const auto & t : m.tool_calls) {
        out += '\n';
        out += t.name;
        out += t.arguments;
    }
    out += '\x1e';  // record separator: "ab"+"c" and "a"+"bc" differ
}

}  // namespace

uint64_t prefix_affinity::hash(const void * data, size_t size, uint64_t seed) {
    uint64_t h = 0xcbf29ce484222325ULL ^ mix(seed);
    const auto * p = static_cast<const unsigned char *>(data);
    for (size_t i = 0; i < size; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return mix(h);
}

prefix_affinity::prefix_affinity(affinity_settings settings, const std::vector<std::string> & deployment_names)
    : settings_(settings), deployments_(deployment_names.size()) {
    for (size_t d = 0; d < deployment_names.size(); ++d) {
        for (int i = 0; i < ring_points_per_deployment; ++i) {
            const std::string point = deployment_names[d] + "#" + std::to_string(i);
            ring_.emplace_back(hash(point.data(), point.size(), 0), d);
        }
    }
    std::sort(ring_.begin(), ring_.end());
}

std::vector<uint64_t> prefix_affinity::block_hashes(const generation_call & call) const {
    std::string text;
    if (call.kind == request_kind::chat) {
        for (const auto & m : call.messages) {
            append_message(text, m);
        }
    } else {
        text = call.prompt;
    }
    std::vector<uint64_t> out;
    if (text.size() < settings_.min_bytes || text.size() < settings_.block_bytes) {
        return out;
    }
    uint64_t h = 0;
    for (size_t at = 0; at + settings_.block_bytes <= text.size(); at += settings_.block_bytes) {
        h = hash(text.data() + at, settings_.block_bytes, h);
        out.push_back(h);
    }
    return out;
}

std::optional<size_t> prefix_affinity::remembered(uint64_t block) const {
    if (auto it = newer_.find(block); it != newer_.end()) {
        return it->second;
    }
    if (auto it = older_.find(block); it != older_.end()) {
        return it->second;
    }
    return std::nullopt;
}

std::optional<size_t> prefix_affinity::choose(const std::vector<uint64_t> & blocks,
                                              const std::vector<int64_t> & in_flight,
                                              const std::vector<bool> & usable) const {
    if (blocks.empty() || deployments_ == 0) {
        return std::nullopt;
    }
    int64_t total = 0;
    size_t n_usable = 0;
    for (size_t d = 0; d < deployments_; ++d) {
        if (usable[d]) {
            total += in_flight[d];
            ++n_usable;
        }
    }
    if (n_usable == 0) {
        return std::nullopt;
    }
    // the bound on calls in flight, this one included
    const auto bound = static_cast<int64_t>(std::ceil(settings_.load_factor * static_cast<double>(total + 1) /
                                                      static_cast<double>(n_usable)));
    auto fits = [&](size_t d) { return d < deployments_ && usable[d] && in_flight[d] + 1 <= bound; };
    {
        std::lock_guard lock(mutex_);
        for (size_t i = blocks.size(); i-- > 0;) {
            if (auto d = remembered(blocks[i]); d && fits(*d)) {
                return *d;
            }
        }
    }
    // not seen here: the ring's place for the first block, then onwards
    auto it = std::lower_bound(ring_.begin(), ring_.end(), std::make_pair(blocks.front(), size_t{0}));
    for (size_t step = 0; step < ring_.size(); ++step, ++it) {
        if (it == ring_.end()) {
            it = ring_.begin();
        }
        if (fits(it->second)) {
            return it->second;
        }
    }
    return std::nullopt;
}

void prefix_affinity::remember(const std::vector<uint64_t> & blocks, size_t deployment) {
    if (settings_.remembered_blocks == 0) {
        return;
    }
    std::unordered_map<uint64_t, uint32_t> dropped;  // freed after the lock
    std::lock_guard lock(mutex_);
    for (uint64_t b : blocks) {
        if (newer_.size() >= settings_.remembered_blocks / 2 + 1) {
            dropped.clear();  // (only when one prompt fills half the memory)
            dropped.swap(older_);
            older_.swap(newer_);
            newer_.clear();
        }
        newer_[b] = static_cast<uint32_t>(deployment);
    }
}

}  // namespace tiergate::fleet
