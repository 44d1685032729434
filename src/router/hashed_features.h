#pragma once
// Prompt features for the learned router: hashed word unigrams and bigrams,
// hashed character n-grams inside words, and a few dense length/structure
// features. No vocabulary, no network; extraction allocates nothing when it
// visits features through for_each_hashed.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tiergate::router {

struct feature_config {
    uint32_t hash_bits = 16;       // 2^hash_bits buckets
    bool word_unigrams = true;
    bool word_bigrams = true;
    uint32_t char_min = 3;         // character n-gram lengths inside "<word>"; 0 disables
    uint32_t char_max = 4;
    uint32_t max_word_chars = 24;  // longer words are cut for character n-grams
    // Longer prompts are read as their first 3/4 and last 1/4 of this many
    // bytes, which bounds the time of one decision; 0 reads everything.
    uint32_t max_text_bytes = 2048;
    // Dense feature set: 1 = the 8 length/structure features; 2 adds 8
    // cross-domain cues (numbers, math symbols, answer options, code markers,
    // word length, sentences, the last paragraph's length, number size) and 8
    // one-hot bins of the prompt's length.
    uint32_t dense_set = 2;
};

// The most dense features of any set; dense_count() is the active set's.
inline constexpr size_t dense_feature_count = 24;
using dense_features = std::array<float, dense_feature_count>;
inline constexpr size_t dense_count_of_set(uint32_t set) { return set >= 2 ? 24 : 8; }

// The features of one prompt, for training.
struct sparse_features {
    std::vector<uint32_t> buckets;  // one entry per occurrence (repeats count)
    float scale = 0.0f;             // value of each occurrence: 1/sqrt(occurrences)
    dense_features dense{};
};

uint64_t hash_bytes(std::string_view bytes, uint64_t seed);

inline uint64_t mix_hash(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

class feature_extractor {
  public:
    explicit feature_extractor(feature_config config = {});

    const feature_config & config() const { return config_; }
    uint32_t bucket_count() const { return uint32_t{1} << config_.hash_bits; }
    // Rows of the weight matrix: hashed buckets then dense features.
    size_t dimension() const { return size_t{bucket_count()} + dense_count(); }
    size_t dense_count() const { return dense_count_of_set(config_.dense_set); }

    // Calls visit(bucket) for every hashed feature occurrence; returns how many.
    template <class visitor>
    size_t for_each_hashed(std::string_view text, visitor && visit) const;

    // The head and tail of text that features are taken from.
    struct text_parts {
        std::string_view head;
        std::string_view tail;
    };
    text_parts parts(std::string_view text) const;

    // The active set's dense features; entries past dense_count() are 0.
    dense_features dense(std::string_view text) const;
    void extract(std::string_view text, sparse_features & out) const;

  private:
    void extended_dense(const text_parts & p, double chars, dense_features & out) const;

    template <class visitor>
    size_t hash_part(std::string_view text, visitor & visit, uint64_t & previous, bool & has_previous) const;

    feature_config config_;
    uint32_t mask_;
};

namespace detail {

inline bool is_word_byte(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

inline unsigned char lower_ascii(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c; }

inline uint64_t fnv_step(uint64_t h, unsigned char c) { return (h ^ c) * 0x100000001b3ULL; }

inline constexpr uint64_t seed_unigram = 0x9e3779b97f4a7c15ULL;
inline constexpr uint64_t seed_bigram = 0xbf58476d1ce4e5b9ULL;
inline constexpr uint64_t seed_char = 0x94d049bb133111ebULL;

}  // namespace detail

inline feature_extractor::text_parts feature_extractor::parts(std::string_view text) const {
    const size_t limit = config_.max_text_bytes;
    if (limit == 0 || text.size() <= limit) {
        return {text, {}};
    }
    const size_t tail = limit / 4;
    return {text.substr(0, limit - tail), text.substr(text.size() - tail)};
}

template <class visitor>
size_t feature_extractor::for_each_hashed(std::string_view text, visitor && visit) const {
    const text_parts p = parts(text);
    uint64_t previous = 0;
    bool has_previous = false;
    size_t count = hash_part(p.head, visit, previous, has_previous);
    if (!p.tail.empty()) {
        has_previous = false;
        count += hash_part(p.tail, visit, previous, has_previous);
    }
    return count;
}

template <class visitor>
size_t feature_extractor::hash_part(std::string_view text, visitor & visit, uint64_t & previous,
                                    bool & has_previous) const {
    size_t count = 0;
    char padded[64];
    size_t i = 0;
    const size_t n = text.size();
    while (i < n) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++i;
            continue;
        }
        size_t begin = i;
        size_t end = i + 1;
        if (detail::is_word_byte(c)) {
            while (end < n && detail::is_word_byte(static_cast<unsigned char>(text[end]))) {
                ++end;
            }
        }
        i = end;
        uint64_t h = detail::seed_unigram;
        for (size_t k = begin; k < end; ++k) {
            h = detail::fnv_step(h, detail::lower_ascii(static_cast<unsigned char>(text[k])));
        }
        h = mix_hash(h);
        if (config_.word_unigrams) {
            visit(static_cast<uint32_t>(h >> 32) & mask_);
            ++count;
        }
        if (config_.word_bigrams && has_previous) {
            visit(static_cast<uint32_t>(mix_hash(previous * 31 + h + detail::seed_bigram) >> 32) & mask_);
            ++count;
        }
        previous = h;
        has_previous = true;
        if (config_.char_min == 0 || end - begin < 2) {
            continue;
        }
        size_t len = std::min<size_t>(end - begin, std::min<size_t>(config_.max_word_chars, sizeof(padded) - 2));
        padded[0] = '<';
        for (size_t k = 0; k < len; ++k) {
            padded[k + 1] = static_cast<char>(detail::lower_ascii(static_cast<unsigned char>(text[begin + k])));
        }
        padded[len + 1] = '>';
        const size_t plen = len + 2;
        for (size_t g = config_.char_min; g <= config_.char_max && g <= plen; ++g) {
            for (size_t s = 0; s + g <= plen; ++s) {
                uint64_t ch = detail::seed_char + g;
                for (size_t k = 0; k < g; ++k) {
                    ch = detail::fnv_step(ch, static_cast<unsigned char>(padded[s + k]));
                }
                visit(static_cast<uint32_t>(mix_hash(ch) >> 32) & mask_);
                ++count;
            }
        }
    }
    return count;
}

}  // namespace tiergate::router
