#include "guard/detectors.h"
#include "guard/text_chars.h"

#include <array>
#include <cmath>

namespace tiergate::guard {

namespace {

struct key_prefix {
    std::string_view prefix;
    size_t min_body;  // characters required after the prefix
};

// Longer prefixes first where one extends another.
constexpr std::array<key_prefix, 22> key_prefixes = {{
    {"sk-ant-", 20},     {"sk-proj-", 20},   {"sk_live_", 16},  {"sk_test_", 16}, {"rk_live_", 16},
    {"pk_live_", 16},    {"sk-", 20},        {"github_pat_", 20}, {"ghp_", 30},   {"gho_", 30},
    {"ghu_", 30},        {"ghs_", 30},       {"ghr_", 30},      {"glpat-", 20},   {"xoxb-", 10},
    {"xoxp-", 10},       {"xoxa-", 10},      {"xoxs-", 10},     {"AKIA", 16},     {"ASIA", 16},
    {"AIza", 30},        {"hf_", 30},
}};

constexpr size_t min_key_size = [] {
    size_t m = 256;
    for (const key_prefix & k : key_prefixes) {
        m = k.prefix.size() + k.min_body < m ? k.prefix.size() + k.min_body : m;
    }
    return m;
}();

bool token_char(char c) { return is_ascii_alnum(c) || c == '_' || c == '-'; }

constexpr std::array<bool, 256> make_entropy_table() {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        t[static_cast<size_t>(c)] = is_ascii_alnum(ch) || ch == '_' || ch == '-' || ch == '+' || ch == '/' || ch == '=';
    }
    return t;
}

constexpr std::array<bool, 256> entropy_table = make_entropy_table();

bool entropy_char(char c) { return entropy_table[static_cast<unsigned char>(c)]; }

// First letters of the known key prefixes.
bool prefix_lead(char c) { return c == 's' || c == 'r' || c == 'p' || c == 'g' || c == 'x' || c == 'A' || c == 'h'; }

double shannon_bits(std::string_view s) {
    int counts[128] = {};
    for (char c : s) {
        ++counts[static_cast<unsigned char>(c) & 0x7F];
    }
    double bits = 0;
    const double n = static_cast<double>(s.size());
    for (int c : counts) {
        if (c > 0) {
            const double p = c / n;
            bits -= p * std::log2(p);
        }
    }
    return bits;
}

size_t match_prefix(std::string_view text, size_t i) {
    if (!prefix_lead(text[i])) {
        return 0;
    }
    for (size_t k = 0; k < key_prefixes.size(); ++k) {
        const std::string_view p = key_prefixes[k].prefix;
        if (text[i] != p[0] || text.substr(i, p.size()) != p) {
            continue;
        }
        size_t e = i + p.size();
        while (e < text.size() && token_char(text[e]) && e - i < 256) {
            ++e;
        }
        if (e - i - p.size() >= key_prefixes[k].min_body && word_boundary_after(text, e)) {
            return e;
        }
    }
    return 0;
}

// "-----BEGIN ... PRIVATE KEY-----" up to the matching END line (or the end of text).
size_t match_pem(std::string_view text, size_t i) {
    constexpr std::string_view begin = "-----BEGIN ";
    if (text.substr(i, begin.size()) != begin) {
        return 0;
    }
    const size_t line_end = text.find("-----", i + begin.size());
    if (line_end == std::string_view::npos || line_end - i > 80) {
        return 0;
    }
    const std::string_view label = text.substr(i + begin.size(), line_end - i - begin.size());
    if (label.find("PRIVATE KEY") == std::string_view::npos) {
        return 0;
    }
    const size_t end_marker = text.find("-----END ", line_end + 5);
    if (end_marker == std::string_view::npos) {
        return text.size();
    }
    const size_t close = text.find("-----", end_marker + 9);
    return close == std::string_view::npos ? text.size() : close + 5;
}

}  // namespace

void detect_secrets(std::string_view text, std::vector<finding> & out) {
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const char c = text[i];
        if (c == '-' && (i + 11 <= n) && text[i + 1] == '-') {
            const size_t e = match_pem(text, i);
            if (e > 0) {
                out.push_back({entity_type::private_key, i, e, 1.0f, finding_source::pattern, 0});
                i = e;
                continue;
            }
        }
        if (!entropy_char(c) || (i > 0 && entropy_char(text[i - 1]))) {
            ++i;
            continue;
        }
        size_t e = i + 1;
        while (e < n && entropy_char(text[e])) {
            ++e;
        }
        const size_t len = e - i;
        // the shortest key is a five-byte prefix and ten more bytes
        if (len < min_key_size) {
            i = e;
            continue;
        }
        if (const size_t key_end = match_prefix(text, i); key_end > 0) {
            out.push_back({entity_type::api_key, i, key_end, 0.95f, finding_source::pattern, 0});
            i = key_end;
            continue;
        }
        size_t digits = 0, upper = 0, lower = 0;
        if (len >= 32 && len <= 4096) {
            for (size_t k = i; k < e; ++k) {
                digits += is_digit(text[k]);
                upper += is_ascii_upper(text[k]);
                lower += is_ascii_lower(text[k]);
            }
        }
        if (len >= 32 && len <= 4096 && digits >= 2 && upper + lower >= 8 && (upper >= 2 || lower >= 2)) {
            const std::string_view token = text.substr(i, len);
            const bool path_like = token.find("//") != std::string_view::npos;
            const bool mixed_case = upper >= 2 && lower >= 2;
            const double threshold = mixed_case ? 4.2 : 3.6;
            if (!path_like && shannon_bits(token) >= threshold) {
                out.push_back({entity_type::secret_token, i, e, 0.6f, finding_source::pattern, 0});
            }
        }
        i = e;
    }
}

}  // namespace tiergate::guard
