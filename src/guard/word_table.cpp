#include "guard/word_table.h"

#include <cstring>

namespace tiergate::guard {

namespace {

constexpr uint64_t golden = 0x9E3779B97F4A7C15ull;

uint64_t load8(const char * p) {
    uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;
}

uint64_t head_mask(size_t size) { return size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1; }

}  // namespace

uint64_t word_table::hash(uint64_t head, const char * key, size_t size) {
    uint64_t h = head * golden + size;
    for (size_t off = 8; off < size; off += 8) {
        const size_t rest = size - off;
        h = (h ^ (load8(key + off) & head_mask(rest))) * golden;
    }
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    return h;
}

word_table::word_table(const std::vector<std::pair<std::string_view, uint32_t>> & entries) {
    size_t capacity = 64;
    while (capacity < entries.size() * 2) {
        capacity *= 2;
    }
    slots_.resize(capacity);
    mask_ = capacity - 1;
    for (const auto & [key, flags] : entries) {
        insert(key, flags);
    }
}

void word_table::insert(std::string_view key, uint32_t flags) {
    if (key.empty() || key.size() > max_key || flags > max_flags) {
        return;
    }
    char padded[max_key + padding] = {};
    std::memcpy(padded, key.data(), key.size());
    const uint64_t head = load8(padded) & head_mask(key.size());
    for (uint64_t i = hash(head, padded, key.size()) & mask_;; i = (i + 1) & mask_) {
        slot & s = slots_[i];
        if ((s.size_flags & 0xFF) == 0) {
            s = {head, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(key.size()) | (flags << 8)};
            keys_.append(key);
            ++count_;
            longest_ = key.size() > longest_ ? key.size() : longest_;
            return;
        }
        if ((s.size_flags & 0xFF) == key.size() && s.head == head && keys_.compare(s.key, key.size(), key) == 0) {
            s.size_flags |= flags << 8;
            return;
        }
    }
}

uint32_t word_table::find_padded(const char * key, size_t size) const {
    if (size == 0 || size > longest_) {
        return 0;
    }
    const uint64_t head = load8(key) & head_mask(size);
    for (uint64_t i = hash(head, key, size) & mask_;; i = (i + 1) & mask_) {
        const slot & s = slots_[i];
        const uint32_t slot_size = s.size_flags & 0xFF;
        if (slot_size == 0) {
            return 0;
        }
        if (s.head == head && slot_size == size &&
            (size <= 8 || std::memcmp(keys_.data() + s.key + 8, key + 8, size - 8) == 0)) {
            return s.size_flags >> 8;
        }
    }
}

uint32_t word_table::find(std::string_view key) const {
    if (key.empty() || key.size() > longest_) {
        return 0;
    }
    char padded[max_key + padding] = {};
    std::memcpy(padded, key.data(), key.size());
    return find_padded(padded, key.size());
}

}  // namespace tiergate::guard
