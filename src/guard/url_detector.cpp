#include "guard/detectors.h"
#include "guard/text_chars.h"

#include <array>

namespace tiergate::guard {

namespace {

bool url_char(char c) {
    if (is_ascii_alnum(c)) {
        return true;
    }
    switch (c) {
        case '-': case '.': case '_': case '~': case ':': case '/': case '?': case '#': case '[': case ']':
        case '@': case '!': case '$': case '&': case '*': case '+': case ';': case '=': case '%':
            return true;
        default:
            return false;
    }
}

bool host_char(char c) { return is_ascii_alnum(c) || c == '-' || c == '.'; }

// common top-level domains for addresses written without a scheme
constexpr std::array<std::string_view, 24> bare_tlds = {
    "com", "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "info", "biz",
    "us", "ca", "au", "ch", "nl", "se", "es", "it", "ai", "dev", "app", "eu",
};

size_t trim_end(std::string_view text, size_t start, size_t end) {
    while (end > start) {
        const char c = text[end - 1];
        if (c == '.' || c == ',' || c == ':' || c == ';' || c == '!' || c == '?' || c == ')' || c == ']') {
            --end;
        } else {
            break;
        }
    }
    return end;
}

bool starts_with_ci(std::string_view text, size_t at, std::string_view prefix) {
    if (at + prefix.size() > text.size()) {
        return false;
    }
    for (size_t k = 0; k < prefix.size(); ++k) {
        if (ascii_lower(text[at + k]) != prefix[k]) {
            return false;
        }
    }
    return true;
}

}  // namespace

void detect_urls(std::string_view text, std::vector<finding> & out) {
    const size_t n = text.size();
    size_t i = 0;
    // Every address holds a '.' (a host name, "www.") or a ':' (a scheme) in
    // the run of host characters it starts in, so runs before the next '.'
    // or ':' are skipped without looking at their words.
    size_t next_dot = text.find('.');
    size_t next_colon = text.find(':');
    size_t mark = std::string_view::npos;  // the '.' or ':' ahead
    size_t run_start = 0;                  // start of the run of host characters that holds it
    while (i < n) {
        if (mark == std::string_view::npos || mark < i) {
            if (next_dot != std::string_view::npos && next_dot < i) {
                next_dot = text.find('.', i);
            }
            if (next_colon != std::string_view::npos && next_colon < i) {
                next_colon = text.find(':', i);
            }
            mark = next_dot < next_colon ? next_dot : next_colon;
            if (mark == std::string_view::npos) {
                return;
            }
            run_start = mark;
            while (run_start > i && host_char(text[run_start - 1])) {
                --run_start;
            }
        }
        if (i < run_start) {
            i = run_start;
        }
        const char c = text[i];
        if (!is_ascii_alpha(c) || !word_boundary_before(text, i)) {
            ++i;
            continue;
        }
        size_t host_start = std::string_view::npos;
        const char lead = ascii_lower(c);
        if (lead != 'h' && lead != 'f' && lead != 'w') {
            // not a scheme or "www.": only a bare host name can start here
        } else if (starts_with_ci(text, i, "https://")) {
            host_start = i + 8;
        } else if (starts_with_ci(text, i, "http://")) {
            host_start = i + 7;
        } else if (starts_with_ci(text, i, "ftp://")) {
            host_start = i + 6;
        } else if (starts_with_ci(text, i, "www.")) {
            host_start = i;
        }
        if (host_start != std::string_view::npos) {
            size_t end = host_start;
            while (end < n && url_char(text[end])) {
                ++end;
            }
            end = trim_end(text, i, end);
            if (end > host_start + 3) {
                out.push_back({entity_type::url, i, end, 0.9f, finding_source::pattern, 0});
                i = end;
                continue;
            }
            // "www." starts at i: step over it, or the loop would stand still
            i = host_start > i ? host_start : i + 4;
            continue;
        }
        // bare host name: labels separated by dots, ending in a known TLD
        size_t end = i;
        while (end < n && host_char(text[end])) {
            ++end;
        }
        const size_t word_end = end;
        end = trim_end(text, i, end);
        if (end < n && text[end] == '@') {
            i = word_end;
            continue;
        }
        if (i > 0 && (text[i - 1] == '@' || text[i - 1] == '.')) {
            i = word_end;
            continue;
        }
        const std::string_view host = text.substr(i, end - i);
        const size_t dot = host.rfind('.');
        if (dot != std::string_view::npos && dot > 0 && host.find("..") == std::string_view::npos) {
            const std::string_view tld = host.substr(dot + 1);
            bool known = false;
            for (std::string_view t : bare_tlds) {
                if (tld.size() == t.size()) {
                    bool same = true;
                    for (size_t k = 0; k < t.size(); ++k) {
                        same = same && ascii_lower(tld[k]) == t[k];
                    }
                    known = known || same;
                }
            }
            if (known) {
                size_t url_end = end;
                if (url_end < n && text[url_end] == '/') {
                    while (url_end < n && url_char(text[url_end])) {
                        ++url_end;
                    }
                    url_end = trim_end(text, i, url_end);
                }
                out.push_back({entity_type::url, i, url_end, 0.6f, finding_source::pattern, 0});
                i = url_end;
                continue;
            }
        }
        i = word_end > i ? word_end : i + 1;
    }
}

}  // namespace tiergate::guard
