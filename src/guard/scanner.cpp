#include "guard/scanner.h"
#include "guard/detectors.h"

#include <re2/re2.h>

#include <algorithm>

namespace tiergate::guard {

namespace {

int type_rank(entity_type type) {
    switch (type) {
        case entity_type::private_key: return 100;
        case entity_type::api_key: return 98;
        case entity_type::email_address: return 95;
        case entity_type::iban_code: return 92;
        case entity_type::credit_card: return 91;
        case entity_type::url: return 90;
        case entity_type::us_ssn: return 88;
        case entity_type::ip_address: return 87;
        case entity_type::custom: return 85;
        case entity_type::phone_number: return 75;
        case entity_type::us_driver_license: return 76;
        case entity_type::secret_token: return 70;
        case entity_type::street_address: return 50;
        case entity_type::date_time: return 45;
        case entity_type::organization: return 42;
        case entity_type::person: return 41;
        case entity_type::location: return 40;
    }
    return 0;
}

bool inside(const finding & inner, const finding & outer) {
    return outer.start <= inner.start && inner.end <= outer.end && outer.end - outer.start > inner.end - inner.start;
}

bool beats(const finding & a, const finding & b) {
    // digits inside a street address (house numbers, postal codes) belong to the address
    const auto address_part = [](const finding & part, const finding & address) {
        return address.type == entity_type::street_address &&
               (part.type == entity_type::phone_number || part.type == entity_type::date_time) && inside(part, address);
    };
    if (address_part(b, a)) {
        return true;
    }
    if (address_part(a, b)) {
        return false;
    }
    const int ra = type_rank(a.type);
    const int rb = type_rank(b.type);
    if (ra != rb) {
        return ra > rb;
    }
    if (a.score != b.score) {
        return a.score > b.score;
    }
    return a.end - a.start > b.end - b.start;
}

}  // namespace

void resolve_overlaps(std::vector<finding> & findings) {
    std::sort(findings.begin(), findings.end(), [](const finding & a, const finding & b) {
        return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    std::vector<finding> kept;
    kept.reserve(findings.size());
    for (const finding & f : findings) {
        if (f.end <= f.start) {
            continue;
        }
        bool keep = true;
        while (!kept.empty() && kept.back().end > f.start) {
            if (beats(f, kept.back())) {
                kept.pop_back();
            } else {
                keep = false;
                break;
            }
        }
        if (keep) {
            kept.push_back(f);
        }
    }
    findings = std::move(kept);
}

scanner::scanner() = default;
scanner::~scanner() = default;
scanner::scanner(scanner &&) noexcept = default;
scanner & scanner::operator=(scanner &&) noexcept = default;

result<scanner> scanner::make(recognizer_options options, std::vector<custom_pattern> patterns) {
    scanner s;
    s.options_ = options;
    RE2::Options re_options;
    re_options.set_log_errors(false);
    re_options.set_max_mem(8 << 20);
    for (size_t i = 0; i < patterns.size(); ++i) {
        auto re = std::make_unique<RE2>(patterns[i].regex, re_options);
        if (!re->ok()) {
            return error::invalid("guard pattern '" + patterns[i].name + "' is not a valid RE2 expression: " + re->error(),
                                  "guard.patterns[" + std::to_string(i) + "].regex", "invalid_pattern");
        }
        if (patterns[i].regex.empty()) {
            return error::invalid("guard pattern '" + patterns[i].name + "' is empty",
                                  "guard.patterns[" + std::to_string(i) + "].regex", "invalid_pattern");
        }
        s.compiled_.push_back(std::move(re));
    }
    s.patterns_ = std::move(patterns);
    return s;
}

std::vector<finding> scanner::scan(std::string_view text) const {
    std::vector<finding> out;
    if (options_.secrets) {
        detect_secrets(text, out);
    }
    if (options_.patterns) {
        detect_emails(text, out);
        detect_urls(text, out);
        detect_ibans(text, out);
        detect_ipv6(text, out);
        detect_numbers(text, out);
    }
    detect_names(text, options_, out);
    for (size_t k = 0; k < compiled_.size(); ++k) {
        const RE2 & re = *compiled_[k];
        re2::StringPiece input(text.data(), text.size());
        re2::StringPiece match;
        size_t pos = 0;
        while (pos <= text.size() &&
               re.Match(input, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
            const size_t start = static_cast<size_t>(match.data() - text.data());
            const size_t end = start + match.size();
            if (end > start) {
                out.push_back({patterns_[k].type, start, end, patterns_[k].score, finding_source::custom,
                               static_cast<uint16_t>(k)});
                pos = end;
            } else {
                pos = start + 1;
            }
        }
    }
    resolve_overlaps(out);
    return out;
}

std::vector<finding> scan(std::string_view text) {
    static const scanner default_scanner = std::move(*scanner::make(recognizer_options{}));
    return default_scanner.scan(text);
}

}  // namespace tiergate::guard
