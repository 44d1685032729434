#include "guard/detectors.h"
#include "guard/text_chars.h"

namespace tiergate::guard {

namespace {

bool local_char(char c) {
    return is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}

bool domain_char(char c) { return is_ascii_alnum(c) || c == '.' || c == '-'; }

}  // namespace

void detect_emails(std::string_view text, std::vector<finding> & out) {
    const size_t n = text.size();
    size_t floor = 0;  // nothing before this can start a new address
    for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        size_t start = at;
        while (start > floor && at - start < 64 && local_char(text[start - 1])) {
            --start;
        }
        while (start < at && (text[start] == '.' || text[start] == '\'')) {
            ++start;
        }
        if (start == at) {
            continue;
        }
        size_t end = at + 1;
        while (end < n && end - at <= 255 && domain_char(text[end])) {
            ++end;
        }
        while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) {
            --end;
        }
        // the top-level label: at least two letters after the last dot
        size_t last_dot = std::string_view::npos;
        for (size_t i = at + 1; i < end; ++i) {
            if (text[i] == '.') {
                last_dot = i;
            }
        }
        if (last_dot == std::string_view::npos || last_dot == at + 1 || end - last_dot - 1 < 2) {
            continue;
        }
        bool tld_alpha = true;
        for (size_t i = last_dot + 1; i < end; ++i) {
            tld_alpha = tld_alpha && is_ascii_alpha(text[i]);
        }
        if (!tld_alpha) {
            continue;
        }
        out.push_back({entity_type::email_address, start, end, 1.0f, finding_source::pattern, 0});
        floor = end;
        at = end - 1;
    }
}

}  // namespace tiergate::guard
