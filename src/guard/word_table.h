#pragma once
// A read-only set of short words, each with a bit mask of the lists it belongs
// to: open addressing over one flat array, so a lookup is one multiply, one
// or two probes and no allocation. Built once, read by any number of threads.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tiergate::guard {

class word_table {
  public:
    // Keys longer than this are not stored (and never found); flags use 24 bits.
    static constexpr size_t max_key = 255;
    // find_padded reads this many bytes from the start of a key, whatever its length.
    static constexpr size_t padding = 8;

    explicit word_table(const std::vector<std::pair<std::string_view, uint32_t>> & entries);

    // The flags of key, or 0.
    uint32_t find(std::string_view key) const;
    // Same, for a key followed by at least `padding` readable bytes.
    uint32_t find_padded(const char * key, size_t size) const;

    size_t size() const { return count_; }
    size_t longest() const { return longest_; }

  private:
    // 16 bytes: four slots share a cache line
    struct slot {
        uint64_t head = 0;        // the first (up to) eight bytes, zero-padded
        uint32_t key = 0;         // offset of the whole key in keys_
        uint32_t size_flags = 0;  // size in the low byte (0: empty), flags above
    };
    static constexpr uint32_t max_flags = (1u << 24) - 1;

    static uint64_t hash(uint64_t head, const char * key, size_t size);
    void insert(std::string_view key, uint32_t flags);

    std::vector<slot> slots_;
    std::string keys_;
    uint64_t mask_ = 0;
    size_t count_ = 0;
    size_t longest_ = 0;
};

}  // namespace tiergate::guard
