#include "router/hashed_features.h"

#include <cmath>

namespace tiergate::router {

uint64_t hash_bytes(std::string_view bytes, uint64_t seed) {
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (char c : bytes) {
        h = detail::fnv_step(h, static_cast<unsigned char>(c));
    }
    return mix_hash(h);
}

feature_extractor::feature_extractor(feature_config config) : config_(config) {
    if (config_.hash_bits < 4) {
        config_.hash_bits = 4;
    }
    if (config_.hash_bits > 26) {
        config_.hash_bits = 26;
    }
    if (config_.char_max < config_.char_min) {
        config_.char_max = config_.char_min;
    }
    mask_ = bucket_count() - 1;
}

dense_features feature_extractor::dense(std::string_view text) const {
    size_t digits = 0;
    size_t non_ascii = 0;
    size_t code = 0;
    size_t upper = 0;
    size_t lines = 1;
    size_t questions = 0;
    size_t words = 0;
    bool in_word = false;
    const text_parts p = parts(text);
    auto count_bytes = [&](std::string_view part) {
        for (char ch : part) {
            const auto c = static_cast<unsigned char>(ch);
            const bool word = detail::is_word_byte(c);
            if (word && !in_word) {
                ++words;
            }
            in_word = word;
            if (c >= '0' && c <= '9') {
                ++digits;
            } else if (c >= 0x80) {
                ++non_ascii;
            } else if (c >= 'A' && c <= 'Z') {
                ++upper;
            } else if (c == '\n') {
                ++lines;
            } else if (c == '?') {
                ++questions;
            } else if (c == '{' || c == '}' || c == '(' || c == ')' || c == '[' || c == ']' || c == ';' || c == '=' ||
                       c == '_' || c == '<' || c == '>') {
                ++code;
            }
        }
    };
    count_bytes(p.head);
    count_bytes(p.tail);
    const double chars = static_cast<double>(text.size());
    const double read = static_cast<double>(p.head.size() + p.tail.size());
    const double denom = read > 0 ? read : 1.0;
    const double scale_to_text = read > 0 ? chars / read : 1.0;
    words = static_cast<size_t>(static_cast<double>(words) * scale_to_text);
    lines = static_cast<size_t>(static_cast<double>(lines) * scale_to_text);
    questions = static_cast<size_t>(static_cast<double>(questions) * scale_to_text);
    dense_features out{};
    out[0] = static_cast<float>(std::log1p(chars) / 8.0);
    out[1] = static_cast<float>(std::log1p(static_cast<double>(words)) / 6.0);
    out[2] = static_cast<float>(std::log1p(static_cast<double>(lines)) / 4.0);
    out[3] = static_cast<float>(digits / denom * 4.0);
    out[4] = static_cast<float>(non_ascii / denom * 4.0);
    out[5] = static_cast<float>(code / denom * 8.0);
    out[6] = static_cast<float>(upper / denom * 4.0);
    out[7] = static_cast<float>(std::log1p(static_cast<double>(questions)) / 2.0);
    return out;
}

void feature_extractor::extract(std::string_view text, sparse_features & out) const {
    out.buckets.clear();
    const size_t count = for_each_hashed(text, [&](uint32_t bucket) { out.buckets.push_back(bucket); });
    out.scale = count > 0 ? static_cast<float>(1.0 / std::sqrt(static_cast<double>(count))) : 0.0f;
    out.dense = dense(text);
}

}  // namespace tiergate::router
