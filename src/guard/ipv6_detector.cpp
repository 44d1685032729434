#include "guard/detectors.h"
#include "guard/text_chars.h"

namespace tiergate::guard {

namespace {

// Parses text as an IPv6 address (hex groups of 1..4, at most one "::",
// eight groups or fewer with "::"; an IPv4 tail is not accepted).
bool ipv6_valid(std::string_view s) {
    if (s.size() < 2) {
        return false;
    }
    size_t groups = 0;
    bool compressed = false;
    size_t i = 0;
    if (s.substr(0, 2) == "::") {
        compressed = true;
        i = 2;
        if (i == s.size()) {
            return false;
        }
    } else if (s[0] == ':') {
        return false;
    }
    while (i < s.size()) {
        size_t len = 0;
        while (i < s.size() && is_hex(s[i])) {
            ++i;
            ++len;
        }
        if (len == 0 || len > 4) {
            return false;
        }
        ++groups;
        if (i == s.size()) {
            break;
        }
        if (s[i] != ':') {
            return false;
        }
        ++i;
        if (i < s.size() && s[i] == ':') {
            if (compressed) {
                return false;
            }
            compressed = true;
            ++i;
            if (i == s.size()) {
                break;
            }
        } else if (i == s.size()) {
            return false;
        }
    }
    return compressed ? groups >= 1 && groups <= 7 : groups == 8;
}

}  // namespace

void detect_ipv6(std::string_view text, std::vector<finding> & out) {
    const size_t n = text.size();
    size_t i = 0;
    // an address holds colons: runs of hex digits before the next colon are skipped
    size_t next_colon = text.find(':');
    if (next_colon == std::string_view::npos) {
        return;
    }
    size_t run_start = next_colon;  // start of the hex run before the colon
    while (run_start > 0 && is_hex(text[run_start - 1])) {
        --run_start;
    }
    while (i < n) {
        if (next_colon < i) {
            next_colon = text.find(':', i);
            if (next_colon == std::string_view::npos) {
                return;
            }
            run_start = next_colon;
            while (run_start > i && is_hex(text[run_start - 1])) {
                --run_start;
            }
        }
        if (i < run_start) {
            i = run_start;
        }
        if (!(is_hex(text[i]) || text[i] == ':') || !word_boundary_before(text, i)) {
            ++i;
            continue;
        }
        size_t end = i;
        size_t colons = 0;
        while (end < n && (is_hex(text[end]) || text[end] == ':') && end - i < 45) {
            colons += text[end] == ':';
            ++end;
        }
        if (colons >= 2 && word_boundary_after(text, end)) {
            size_t e = end;
            // a trailing colon is punctuation, not part of the address
            if (text[e - 1] == ':' && !(e >= 2 && text[e - 2] == ':')) {
                --e;
            }
            const std::string_view candidate = text.substr(i, e - i);
            bool has_hex_letter_or_double = candidate.find("::") != std::string_view::npos;
            for (char c : candidate) {
                has_hex_letter_or_double = has_hex_letter_or_double || is_ascii_alpha(c);
            }
            if (has_hex_letter_or_double && ipv6_valid(candidate)) {
                out.push_back({entity_type::ip_address, i, e, 0.95f, finding_source::pattern, 0});
            } else if (ipv6_valid(candidate) && colons == 7) {
                out.push_back({entity_type::ip_address, i, e, 0.8f, finding_source::pattern, 0});
            }
        }
        i = end > i ? end : i + 1;
    }
}

}  // namespace tiergate::guard
