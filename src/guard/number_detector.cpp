#include "guard/byte_blocks.h"
#include "guard/detectors.h"
#include "guard/luhn.h"
#include "guard/text_chars.h"

#include <array>

namespace tiergate::guard {

namespace {

constexpr size_t max_groups = 12;

// A run of digit groups joined by single separators, as written in text:
// "+1 (555) 123-4567", "4111 1111 1111 1111", "3/14/1962", "10.0.0.1".
struct number_run {
    size_t start = 0;                // byte offset of the run (the '+' or '(' if any)
    size_t group_start[max_groups];  // byte offsets of each digit group
    size_t group_end[max_groups];
    char sep_after[max_groups];  // separator after group k ('\0' at the end); '(' and ')' recorded as 'p'
    size_t groups = 0;
    bool plus = false;
    bool paren = false;
    size_t extension_end = 0;  // end of an "x123" / "ext. 123" phone extension, or 0
};

size_t digits_in(const number_run & r, size_t a, size_t b) {
    size_t d = 0;
    for (size_t k = a; k < b; ++k) {
        d += r.group_end[k] - r.group_start[k];
    }
    return d;
}

size_t glen(const number_run & r, size_t k) { return r.group_end[k] - r.group_start[k]; }

int group_value(std::string_view text, const number_run & r, size_t k) {
    int v = 0;
    for (size_t i = r.group_start[k]; i < r.group_end[k] && i < r.group_start[k] + 6; ++i) {
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

bool seps_all(const number_run & r, size_t a, size_t b, char sep) {
    for (size_t k = a; k + 1 < b; ++k) {
        if (r.sep_after[k] != sep) {
            return false;
        }
    }
    return true;
}

bool seps_in(const number_run & r, size_t a, size_t b, std::string_view allowed) {
    for (size_t k = a; k + 1 < b; ++k) {
        if (allowed.find(r.sep_after[k]) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

constexpr std::array<std::string_view, 12> phone_cues = {
    "phone", "tel", "mobile", "cell", "fax", "call", "whatsapp", "number", "contact", "dial", "sms", "text me",
};
constexpr std::array<std::string_view, 3> ssn_cues = {"ssn", "social security", "social sec"};
constexpr std::array<std::string_view, 4> card_cues = {"card", "visa", "mastercard", "amex"};
// words before a year that a house number does not follow: "a 2017 Polish film"
constexpr std::array<std::string_view, 8> year_cues = {" a ", " an ", " the ", " in ", " since ", " of ", " until ", " by "};

bool valid_ssn(int area, int group, int serial) {
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}

bool all_same_digit(std::string_view text, const number_run & r, size_t a, size_t b) {
    const char first = text[r.group_start[a]];
    for (size_t k = a; k < b; ++k) {
        for (size_t i = r.group_start[k]; i < r.group_end[k]; ++i) {
            if (text[i] != first) {
                return false;
            }
        }
    }
    return true;
}

constexpr std::array<std::string_view, 8> phone_labels = {"office", "fax", "mobile", "home", "work", "cell", "tel", "phone"};
constexpr std::array<std::string_view, 6> unit_cues = {"apt", "suite", "unit", "box", "#", "no."};

// A short two-group number is a local phone number only where a phone
// number ends a clause or carries a label, and not after a unit or a comma
// (where it is part of an address).
bool local_number_position(std::string_view text, size_t start, size_t end) {
    size_t p = start;
    while (p > 0 && text[p - 1] == ' ') {
        --p;
    }
    if (p > 0 && text[p - 1] == ',') {
        return false;
    }
    if (cue_before(text, start, 8, unit_cues)) {
        return false;
    }
    if (end >= text.size()) {
        return true;
    }
    const char c = text[end];
    if (c == '.' || c == '?' || c == '!' || c == '\n' || c == ';') {
        return true;
    }
    if (c == ' ' || c == '-') {
        const std::string_view after = text.substr(end + 1, 8);
        for (std::string_view label : phone_labels) {
            if (after.size() >= label.size()) {
                bool same = true;
                for (size_t k = 0; k < label.size(); ++k) {
                    same = same && ascii_lower(after[k]) == label[k];
                }
                if (same) {
                    return true;
                }
            }
        }
    }
    return false;
}

// One-digit groups in a phone number: a trunk or country digit first ("1-800",
// "8 (495)"), an area digit after a country code ("+33 1 42 68 53 00"), never
// later and never last; "978-3-16-148410-0" and "10.0.19045" are not phones.
bool phone_groups(const number_run & r, size_t a, size_t b, bool international) {
    const size_t g = b - a;
    if (g >= 2 && glen(r, b - 1) == 1) {
        return false;
    }
    for (size_t k = a + 2; k < b; ++k) {
        if (glen(r, k) == 1) {
            return false;
        }
    }
    return !(g >= 3 && glen(r, a + 1) == 1 && !international);
}

// Classifies groups [a, b) of the run; returns true and fills type/end when they form an entity.
bool classify(std::string_view text, const number_run & r, size_t a, size_t b, entity_type & type, float & score) {
    const size_t g = b - a;
    const size_t digits = digits_in(r, a, b);
    const bool at_run_start = a == 0;
    const bool plus = at_run_start && r.plus;
    const bool paren = r.paren && seps_in(r, a, b, " -.p") && !seps_all(r, a, b, ' ');
    const size_t start = r.group_start[a];

    // IPv4
    if (g == 4 && seps_all(r, a, b, '.')) {
        bool ok = true;
        for (size_t k = a; k < b; ++k) {
            ok = ok && glen(r, k) <= 3 && group_value(text, r, k) <= 255 && !(glen(r, k) > 1 && text[r.group_start[k]] == '0');
        }
        if (ok) {
            type = entity_type::ip_address;
            score = 0.95f;
            return true;
        }
    }
    // US SSN: 3-2-4
    if (g == 3 && glen(r, a) == 3 && glen(r, a + 1) == 2 && glen(r, a + 2) == 4 &&
        (seps_all(r, a, b, '-') || seps_all(r, a, b, ' ')) && !plus) {
        if (valid_ssn(group_value(text, r, a), group_value(text, r, a + 1), group_value(text, r, a + 2))) {
            type = entity_type::us_ssn;
            score = seps_all(r, a, b, '-') ? 0.9f : 0.6f;
            return true;
        }
    }
    if (g == 1 && digits == 9 && cue_before(text, start, 40, ssn_cues)) {
        auto number = [&](size_t from, size_t count) {
            int v = 0;
            for (size_t k = 0; k < count; ++k) {
                v = v * 10 + (text[start + from + k] - '0');
            }
            return v;
        };
        if (valid_ssn(number(0, 3), number(3, 2), number(5, 4))) {
            type = entity_type::us_ssn;
            score = 0.7f;
            return true;
        }
    }
    // credit card: 12..19 digits, Luhn, groups of four or one block
    if (digits >= 12 && digits <= 19 && !plus && !paren && seps_in(r, a, b, " -")) {
        const char lead = text[start];
        const bool grouped = g == 1 || glen(r, a) == 4;
        const bool card_cue = cue_before(text, start, 40, card_cues);
        if (grouped && ((lead >= '1' && lead <= '6') || card_cue) && !all_same_digit(text, r, a, b) &&
            luhn_valid(text.substr(start, r.group_end[b - 1] - start))) {
            if (digits >= 13 || card_cue || g > 1) {
                type = entity_type::credit_card;
                score = 1.0f;
                return true;
            }
            type = entity_type::credit_card;
            score = 0.6f;
            return true;
        }
    }
    // dates: d/m/y, m/d/y, y-m-d, with an optional h:m[:s] after a space
    if (g >= 3 && (r.sep_after[a] == '/' || r.sep_after[a] == '-' || r.sep_after[a] == '.') &&
        r.sep_after[a + 1] == r.sep_after[a]) {
        const size_t l0 = glen(r, a), l1 = glen(r, a + 1), l2 = glen(r, a + 2);
        const int v0 = group_value(text, r, a), v1 = group_value(text, r, a + 1), v2 = group_value(text, r, a + 2);
        bool date = false;
        if (l0 <= 2 && l1 <= 2 && (l2 == 4 || l2 == 2) && v0 >= 1 && v1 >= 1 && v0 <= 31 && v1 <= 31 &&
            (v0 <= 12 || v1 <= 12)) {
            date = true;
        }
        if (l0 == 4 && l1 <= 2 && l2 <= 2 && v1 >= 1 && v1 <= 12 && v2 >= 1 && v2 <= 31) {
            date = true;
        }
        if (date && (g == 3 || r.sep_after[a + 2] == ' ' || r.sep_after[a + 2] == 'T')) {
            size_t end_group = a + 3;
            if (g >= 5 && r.sep_after[a + 3] == ':' && glen(r, a + 3) <= 2 && glen(r, a + 4) == 2) {
                end_group = a + 5;
                if (g >= 6 && r.sep_after[a + 4] == ':' && glen(r, a + 5) == 2) {
                    end_group = a + 6;
                }
            }
            if (end_group == b) {
                type = entity_type::date_time;
                score = 0.85f;
                return true;
            }
        }
    }
    // time of day h:mm[:ss]
    if ((g == 2 || g == 3) && seps_all(r, a, b, ':') && glen(r, a) <= 2 && glen(r, a + 1) == 2 &&
        group_value(text, r, a) <= 23 && group_value(text, r, a + 1) <= 59 && (g == 2 || glen(r, a + 2) == 2)) {
        type = entity_type::date_time;
        score = 0.6f;
        return true;
    }
    // a year on its own, not a house number (not followed by a capitalized word)
    if (g == 1 && digits == 4 && !plus && r.groups == 1) {
        const int year = group_value(text, r, a);
        const size_t end = r.group_end[a];
        const bool next_cap = end + 1 < text.size() && text[end] == ' ' && is_ascii_upper(text[end + 1]);
        const bool prev_hash = start > 0 && (text[start - 1] == '#');
        if (year >= 1900 && year <= 2099 && (!next_cap || cue_before(text, start, 7, year_cues)) && !prev_hash) {
            type = entity_type::date_time;
            score = 0.5f;
            return true;
        }
    }
    // phone numbers
    // (a phone number inside a run starts after a space: "978-3-16-148410-0" holds none)
    if (digits >= 7 && digits <= 15 && seps_in(r, a, b, " -.p") && phone_groups(r, a, b, plus || paren) &&
        (a == 0 || r.sep_after[a - 1] == ' ' || r.sep_after[a - 1] == 'p')) {
        const bool cue = cue_before(text, start, 32, phone_cues);
        bool phone = false;
        if ((plus && digits >= 8) || (paren && digits >= 7)) {
            phone = true;
        } else if (g >= 3 && (digits >= 8 || (digits >= 7 && !seps_all(r, a, b, ' ')))) {
            phone = !seps_all(r, a, b, '.') || g >= 3;
        } else if (g == 2 && digits >= 10 && glen(r, a) >= 3) {
            phone = true;
        } else if (g == 2 && glen(r, a) >= 2 && glen(r, a) <= 4 && glen(r, a + 1) >= 4 && !seps_all(r, a, b, '.')) {
            phone = local_number_position(text, start, r.group_end[b - 1]);  // "555 0147", "22 613904"

        } else if (cue && (g >= 2 || (digits >= 10 && digits <= 12))) {
            phone = true;
        }
        if (phone) {
            type = entity_type::phone_number;
            score = cue ? 0.8f : 0.6f;
            return true;
        }
    }
    return false;
}

// Reads one run starting at i; returns false when no digit group starts there.
bool read_run(std::string_view text, size_t i, number_run & r) {
    const size_t n = text.size();
    r = number_run{};
    r.start = i;
    size_t j = i;
    if (text[j] == '+') {
        r.plus = true;
        ++j;
    }
    if (j < n && text[j] == '(') {
        r.paren = true;
        ++j;
    }
    if (j >= n || !is_digit(text[j])) {
        return false;
    }
    while (r.groups < max_groups) {
        const size_t gs = j;
        while (j < n && is_digit(text[j]) && j - gs < 24) {
            ++j;
        }
        r.group_start[r.groups] = gs;
        r.group_end[r.groups] = j;
        r.sep_after[r.groups] = '\0';
        ++r.groups;
        if (j >= n || r.groups == max_groups) {
            break;
        }
        // separators: one of " -./:" or a parenthesis with an optional space
        size_t k = j;
        char sep = text[k];
        if (sep == ')') {
            r.paren = true;
            ++k;
            if (k < n && (text[k] == ' ' || text[k] == '-')) {
                ++k;
            }
            sep = 'p';
        } else if (sep == ' ' && k + 1 < n && text[k + 1] == '(') {
            r.paren = true;
            k += 2;
            sep = 'p';
        } else if (sep == ' ' || sep == '-' || sep == '.' || sep == '/' || sep == ':' || sep == 'T') {
            if (sep == 'T' && r.groups != 3) {
                break;
            }
            ++k;
        } else {
            break;
        }
        if (k >= n || !is_digit(text[k])) {
            break;
        }
        r.sep_after[r.groups - 1] = sep;
        j = k;
    }
    // phone extension
    size_t k = j;
    if (k < n && text[k] == ' ') {
        ++k;
    }
    if (k + 1 < n && (text[k] == 'x' || text[k] == 'X') && is_digit(text[k + 1])) {
        ++k;
        size_t e = k;
        while (e < n && is_digit(text[e]) && e - k < 6) {
            ++e;
        }
        r.extension_end = e;
    } else if (k + 4 < n && ascii_lower(text[k]) == 'e' && ascii_lower(text[k + 1]) == 'x' &&
               ascii_lower(text[k + 2]) == 't') {
        k += 3;
        if (k < n && text[k] == '.') {
            ++k;
        }
        if (k < n && text[k] == ' ') {
            ++k;
        }
        size_t e = k;
        while (e < n && is_digit(text[e]) && e - k < 6) {
            ++e;
        }
        if (e > k) {
            r.extension_end = e;
        }
    }
    return true;
}

// A licence number after a licence cue: a token of 5..16 letters and digits
// with at least 5 digits (dashes allowed), such as "D400719582231" or "4310-27-8842".
void detect_licenses(std::string_view text, std::vector<finding> & out) {
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const size_t hit = text.find("icen", i);
        if (hit == std::string_view::npos || hit == 0) {
            return;
        }
        i = hit + 4;
        if (ascii_lower(text[hit - 1]) != 'l') {
            continue;
        }
        // look ahead up to 40 bytes for the number token
        size_t j = i;
        const size_t limit = i + 40 < n ? i + 40 : n;
        while (j < limit) {
            if (!is_ascii_alnum(text[j]) || !word_boundary_before(text, j)) {
                ++j;
                continue;
            }
            size_t e = j;
            size_t digits = 0;
            size_t letters = 0;
            while (e < n && (is_ascii_alnum(text[e]) || (text[e] == '-' && e + 1 < n && is_ascii_alnum(text[e + 1]))) &&
                   e - j < 20) {
                digits += is_digit(text[e]);
                letters += is_ascii_alpha(text[e]);
                ++e;
            }
            if (digits >= 5 && letters <= 3 && e - j >= 5 && e - j <= 16 && word_boundary_after(text, e)) {
                out.push_back({entity_type::us_driver_license, j, e, 0.7f, finding_source::context, 0});
                i = e;
                break;
            }
            j = e;
        }
    }
}

// Bytes a number run can start with.
constexpr std::array<bool, 256> number_lead = [] {
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c) {
        t[static_cast<size_t>(c)] = true;
    }
    t['+'] = t['('] = true;
    return t;
}();

}  // namespace

void detect_numbers(std::string_view text, std::vector<finding> & out) {
    const size_t n = text.size();
    size_t i = 0;
    number_run r;
    while (i < n) {
        i = byte_blocks::find_first(
            text, i,
            [](uint64_t x) {
                return byte_blocks::in_range(x, '0', '9') | byte_blocks::equal(x, '+') | byte_blocks::equal(x, '(');
            },
            [](char ch) { return number_lead[static_cast<unsigned char>(ch)]; });
        if (i >= n) {
            break;
        }
        const char c = text[i];
        const bool can_start = is_digit(c) || ((c == '+' || c == '(') && i + 1 < n &&
                                               (is_digit(text[i + 1]) || text[i + 1] == '('));
        if (!can_start || !word_boundary_before(text, i) || (i > 0 && (text[i - 1] == '.' || text[i - 1] == '-'))) {
            ++i;
            continue;
        }
        if (!read_run(text, i, r)) {
            ++i;
            continue;
        }
        const size_t run_end = r.group_end[r.groups - 1];
        if (!word_boundary_after(text, run_end) && r.extension_end == 0) {
            // digits glued to letters: part of a code or identifier
            size_t e = run_end;
            while (e < n && is_ascii_alnum(text[e])) {
                ++e;
            }
            i = e;
            continue;
        }
        size_t a = 0;
        while (a < r.groups) {
            bool matched = false;
            const size_t longest = r.groups - a < 8 ? r.groups : a + 8;
            for (size_t b = longest; b > a; --b) {
                entity_type type{};
                float score = 0;
                if (classify(text, r, a, b, type, score)) {
                    size_t s = r.group_start[a];
                    if (a == 0 && r.plus) {
                        s = r.start;
                    }
                    if (type == entity_type::phone_number && s > 0 && text[s - 1] == '(') {
                        --s;
                    } else if (type == entity_type::phone_number && a == 0 && r.paren && text[r.start] == '(') {
                        s = r.start;
                    }
                    size_t e = r.group_end[b - 1];
                    if (type == entity_type::phone_number && b == r.groups && r.extension_end > 0) {
                        e = r.extension_end;
                    }
                    out.push_back({type, s, e, score, finding_source::pattern, 0});
                    a = b;
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                ++a;
            }
        }
        i = r.extension_end > run_end ? r.extension_end : run_end;
        if (i == r.start) {
            ++i;
        }
    }
    detect_licenses(text, out);
}

}  // namespace tiergate::guard
