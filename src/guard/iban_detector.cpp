#include "guard/detectors.h"
#include "guard/iban.h"
#include "guard/text_chars.h"

namespace tiergate::guard {

void detect_ibans(std::string_view text, std::vector<finding> & out) {
    const size_t n = text.size();
    size_t i = 0;
    while (i + 15 <= n) {
        // a start needs two capitals and two digits: the byte at i + 3 rules
        // out up to four starts at once
        const char probe = text[i + 3];
        if (!is_digit(probe)) {
            i += is_ascii_upper(probe) ? 2 : 4;
            continue;
        }
        if (!(is_ascii_upper(text[i]) && is_ascii_upper(text[i + 1]) && is_digit(text[i + 2]) &&
              is_digit(text[i + 3]) && word_boundary_before(text, i))) {
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
        for (size_t k = count; k >= 15; --k) {
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
