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
    if (config_.dense_set < 1 || config_.dense_set > 2) {
        config_.dense_set = 2;
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
    if (config_.dense_set >= 2) {
        extended_dense(p, chars, out);
    }
    return out;
}

namespace {

bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

bool starts_option(std::string_view line) {
    // "A.", "A)", "(A)", "A:" with A..H, after optional spaces.
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
        ++i;
    }
    if (i < line.size() && line[i] == '(') {
        ++i;
    }
    if (i + 1 >= line.size() || line[i] < 'A' || line[i] > 'H') {
        return false;
    }
    const char next = line[i + 1];
    return next == '.' || next == ')' || next == ':';
}

}  // namespace

void feature_extractor::extended_dense(const text_parts & p, double chars, dense_features & out) const {
    size_t numbers = 0;
    size_t longest_number = 0;
    size_t math = 0;
    size_t options = 0;
    size_t code = 0;
    size_t word_bytes = 0;
    size_t words = 0;
    size_t sentences = 0;
    size_t last_paragraph = 0;
    auto scan = [&](std::string_view part) {
        size_t run = 0;
        size_t word = 0;
        size_t line_start = 0;
        for (size_t i = 0; i <= part.size(); ++i) {
            const auto c = i < part.size() ? static_cast<unsigned char>(part[i]) : static_cast<unsigned char>('\n');
            if (is_digit(c)) {
                ++run;
            } else if (run > 0) {
                ++numbers;
                longest_number = std::max(longest_number, run);
                run = 0;
            }
            if (detail::is_word_byte(c)) {
                ++word;
            } else if (word > 0) {
                ++words;
                word_bytes += word;
                word = 0;
            }
            if (c == '+' || c == '*' || c == '/' || c == '^' || c == '=' || c == '%' || c == '$' ||
                (c == '-' && i + 1 < part.size() && is_digit(static_cast<unsigned char>(part[i + 1])))) {
                ++math;
            }
            if ((c == '.' || c == '?' || c == '!') && (i + 1 >= part.size() || part[i + 1] == ' ' || part[i + 1] == '\n')) {
                ++sentences;
            }
            if (c == '`' && part.substr(i, 3) == "```") {
                ++code;
            }
            if (c == '\n') {
                const std::string_view line = part.substr(line_start, i - line_start);
                options += starts_option(line) ? 1 : 0;
                if (line.starts_with("    ") || line.starts_with("def ") || line.starts_with("return ") ||
                    line.starts_with("#include") || line.starts_with("import ")) {
                    ++code;
                }
                line_start = i + 1;
            }
        }
    };
    scan(p.head);
    scan(p.tail);
    // The last paragraph: the question after any worked examples.
    const std::string_view last = p.tail.empty() ? p.head : p.tail;
    size_t end = last.size();
    while (end > 0 && (last[end - 1] == '\n' || last[end - 1] == ' ')) {
        --end;
    }
    const size_t blank = last.substr(0, end).rfind("\n\n");
    last_paragraph = blank == std::string_view::npos ? (p.tail.empty() ? end : static_cast<size_t>(chars)) : end - blank - 2;

    const double read = std::max<double>(1.0, static_cast<double>(p.head.size() + p.tail.size()));
    const double scale_to_text = chars / read;
    out[8] = static_cast<float>(std::log1p(static_cast<double>(numbers) * scale_to_text) / 3.0);
    out[9] = static_cast<float>(math / read * 8.0);
    out[10] = static_cast<float>(std::log1p(static_cast<double>(options)) / 2.0);
    out[11] = static_cast<float>(std::log1p(static_cast<double>(code)) / 2.0);
    out[12] = static_cast<float>(words > 0 ? static_cast<double>(word_bytes) / static_cast<double>(words) / 8.0 : 0.0);
    out[13] = static_cast<float>(std::log1p(static_cast<double>(sentences) * scale_to_text) / 3.0);
    out[14] = static_cast<float>(std::log1p(static_cast<double>(last_paragraph)) / 8.0);
    out[15] = static_cast<float>(std::min<double>(static_cast<double>(longest_number), 12.0) / 6.0);
    // Length bins: < 64, 128, 256, 512, 1024, 2048, 4096 bytes, and longer.
    size_t bin = 0;
    for (double edge = 64; bin < 7 && chars >= edge; edge *= 2) {
        ++bin;
    }
    out[16 + bin] = 1.0f;
}

void feature_extractor::extract(std::string_view text, sparse_features & out) const {
    out.buckets.clear();
    const size_t count = for_each_hashed(text, [&](uint32_t bucket) { out.buckets.push_back(bucket); });
    out.scale = count > 0 ? static_cast<float>(1.0 / std::sqrt(static_cast<double>(count))) : 0.0f;
    out.dense = dense(text);
}

}  // namespace tiergate::router
