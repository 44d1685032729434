#include "guard/pseudonymizer.h"

#include <algorithm>
#include <cctype>

namespace tiergate::guard {

namespace {

bool placeholder_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

std::string redaction_marker(entity_type type) {
    std::string s = "<";
    s.append(to_string(type));
    s.push_back('>');
    return s;
}

const std::string & pseudonymizer::placeholder_for(entity_type type, std::string_view value) {
    std::string key(to_string(type));
    key.push_back('\0');
    key.append(value);
    auto found = to_placeholder_.find(key);
    if (found != to_placeholder_.end()) {
        return found->second;
    }
    std::string placeholder;
    do {
        const uint32_t number = ++next_[index_of(type)];
        placeholder = "<";
        placeholder.append(to_string(type));
        placeholder.push_back('_');
        placeholder.append(std::to_string(number));
        placeholder.push_back('>');
    } while (literals_.count(placeholder) != 0);
    if (placeholder.size() > longest_) {
        longest_ = placeholder.size();
    }
    to_value_.emplace(placeholder, std::string(value));
    return to_placeholder_.emplace(std::move(key), std::move(placeholder)).first->second;
}

std::optional<std::string_view> pseudonymizer::value_of(std::string_view placeholder) const {
    auto found = to_value_.find(placeholder);
    if (found == to_value_.end()) {
        return std::nullopt;
    }
    return std::string_view(found->second);
}

bool pseudonymizer::is_placeholder_prefix(std::string_view text) const {
    auto it = to_value_.lower_bound(text);
    return it != to_value_.end() && std::string_view(it->first).substr(0, text.size()) == text;
}

void pseudonymizer::reserve_literals(std::string_view text) {
    for (size_t lt = text.find('<'); lt != std::string_view::npos; lt = text.find('<', lt + 1)) {
        size_t e = lt + 1;
        while (e < text.size() && e - lt < 64 && placeholder_char(text[e])) {
            ++e;
        }
        if (e < text.size() && text[e] == '>' && e > lt + 1) {
            literals_.emplace(text.substr(lt, e + 1 - lt));
        }
    }
}

std::string pseudonymizer::pseudonymize(std::string_view text, const std::vector<finding> & findings) {
    reserve_literals(text);
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    for (const finding & f : findings) {
        if (f.start < pos || f.end > text.size() || f.end <= f.start) {
            continue;
        }
        out.append(text.substr(pos, f.start - pos));
        out.append(placeholder_for(f.type, text.substr(f.start, f.end - f.start)));
        pos = f.end;
    }
    out.append(text.substr(pos));
    return out;
}

std::string pseudonymizer::restore(std::string_view text) const {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        const size_t lt = text.find('<', i);
        if (lt == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, lt - i));
        size_t e = lt + 1;
        while (e < text.size() && e - lt < longest_ && placeholder_char(text[e])) {
            ++e;
        }
        if (e < text.size() && text[e] == '>') {
            if (auto value = value_of(text.substr(lt, e + 1 - lt))) {
                out.append(*value);
                i = e + 1;
                continue;
            }
        }
        out.push_back('<');
        i = lt + 1;
    }
    return out;
}

std::string pseudonymizer::conceal(std::string_view text) const {
    std::vector<std::pair<std::string_view, std::string_view>> by_length;  // value, placeholder
    by_length.reserve(to_value_.size());
    for (const auto & [placeholder, value] : to_value_) {
        if (!value.empty()) {
            by_length.emplace_back(value, placeholder);
        }
    }
    std::stable_sort(by_length.begin(), by_length.end(),
                     [](const auto & a, const auto & b) { return a.first.size() > b.first.size(); });
    // a value is replaced where it stands as a word of its own: "Ann" in
    // "Annual" or "Hanna" is left alone
    auto word_byte = [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x80 || std::isalnum(u) != 0;
    };
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        bool replaced = false;
        for (const auto & [value, placeholder] : by_length) {
            if (text.compare(i, value.size(), value) == 0 &&
                !(word_byte(value.front()) && i > 0 && word_byte(text[i - 1])) &&
                !(word_byte(value.back()) && i + value.size() < text.size() && word_byte(text[i + value.size()]))) {
                out.append(placeholder);
                i += value.size();
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            out.push_back(text[i++]);
        }
    }
    return out;
}

}  // namespace tiergate::guard
