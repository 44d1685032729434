#include "guard/detectors.h"
#include "guard/iban.h"
#include "guard/text_chars.h"

namespace tiergate::guard {

void detect_ibans(std::string_view text, std::vector<finding> & out) {
    const size_t n = text.size();
    size_t i = 0;
    while (i + 15 <= n) {
        // a start needs two letters and two digits: the byte at i + 3 rules
        // out up to four starts at once
        const char probe = text[i + 3];
        if (!is_digit(probe)) {
            i += is_ascii_alpha(probe) ? 2 : 4;
            continue;
        }
        if (!(is_ascii_alpha(text[i]) && is_ascii_alpha(text[i + 1]) && is_digit(text[i + 2]) &&
              word_boundary_before(text, i))) {
            ++i;
            continue;
        }
        // the registry's length for the country; lower-case IBANs ("de89...")
        // only for listed countries, upper-case ones also for others
        const bool upper = is_ascii_upper(text[i]) && is_ascii_upper(text[i + 1]);
        const char country[2] = {static_cast<char>(text[i] & ~0x20), static_cast<char>(text[i + 1] & ~0x20)};
        const size_t expected = iban_length(std::string_view(country, 2));
        if (expected == 0 && !upper) {
            ++i;
            continue;
        }
        // collect up to 34 alphanumerics, allowing single spaces between groups
        size_t ends[35];  // ends[k]: byte end after k alphanumerics
        size_t count = 0;
        size_t j = i;
        while (j < n && count < 34) {
            if (is_ascii_alnum(text[j])) {
                ++count;
                ++j;
                ends[count] = j;
            } else if (text[j] == ' ' && j + 1 < n && is_ascii_alnum(text[j + 1]) && count >= 4) {
                ++j;
            } else {
                break;
            }
        }
        bool found = false;
        const size_t longest = expected != 0 ? (expected <= count ? expected : 0) : count;
        const size_t shortest = expected != 0 ? expected : 15;
        for (size_t k = longest; k >= shortest && k > 0; --k) {
            const size_t end = ends[k];
            if (!word_boundary_after(text, end)) {
                continue;
            }
            if (iban_valid(text.substr(i, end - i))) {
                out.push_back({entity_type::iban_code, i, end, 1.0f, finding_source::pattern, 0});
                i = end;
                found = true;
                break;
            }
        }
        if (!found) {
            ++i;
        }
    }
}

}  // namespace tiergate::guard
