#include "router/final_answer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <bitset>

#include "router/hashed_features.h"

namespace tiergate::router {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || is_upper(c); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
char lower(char c) { return is_upper(c) ? static_cast<char>(c + 32) : c; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

// Case-insensitive search of an ASCII needle (given in lower case).
size_t find_ci(std::string_view hay, std::string_view needle, size_t from = 0) {
    if (needle.empty() || hay.size() < needle.size()) {
        return std::string_view::npos;
    }
    for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
        size_t k = 0;
        while (k < needle.size() && lower(hay[i + k]) == needle[k]) {
            ++k;
        }
        if (k == needle.size()) {
            return i;
        }
    }
    return std::string_view::npos;
}

bool contains_ci(std::string_view hay, std::string_view needle) { return find_ci(hay, needle) != std::string_view::npos; }

// The text in ASCII lower case, in a per-thread buffer (positions are the
// text's): searched with string_view::find, which is much faster than a
// case-insensitive scan per cue.
std::string_view lowered(std::string_view text) {
    thread_local std::string buffer;
    buffer.assign(text.begin(), text.end());
    for (char & c : buffer) {
        c = lower(c);
    }
    return buffer;
}

// A line that opens an option: "A) text", "A. text", "A: text", "(A) text".
bool option_line(std::string_view line, char & letter, std::string_view & text) {
    line = trim(line);
    size_t i = 0;
    const bool paren = !line.empty() && line[0] == '(';
    if (paren) {
        i = 1;
    }
    if (i + 1 >= line.size() || !is_upper(line[i]) || line[i] > 'J') {
        return false;
    }
    const char l = line[i];
    const char close = line[i + 1];
    if (paren ? close != ')' : (close != ')' && close != '.' && close != ':')) {
        return false;
    }
    letter = l;
    text = trim(line.substr(i + 2));
    return !text.empty();
}

// The option a short reply names: "B", "(B)", "B)", "B.", "**B**", "Option B".
bool letter_alone(std::string_view s, const prompt_options & options, char & letter) {
    s = trim(s);
    while (!s.empty() && (s.front() == '*' || s.front() == '(' || s.front() == '"' || s.front() == '\'' ||
                          s.front() == '[')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == '*' || s.back() == ')' || s.back() == '.' || s.back() == '"' ||
                          s.back() == '\'' || s.back() == ']' || s.back() == ':')) {
        s.remove_suffix(1);
    }
    if (s.size() > 7 && contains_ci(s.substr(0, 7), "option ")) {
        s.remove_prefix(7);
    }
    s = trim(s);
    if (s.size() == 1 && is_upper(s[0]) && options.has(s[0])) {
        letter = s[0];
        return true;
    }
    return false;
}

// "answer is B", "Answer: (B)", "answer would be B)": the letter after the cue.
bool letter_after_cue(std::string_view answer, std::string_view low, const prompt_options & options, char & letter) {
    static constexpr std::array<std::string_view, 4> cues = {"answer is", "answer:", "answer would be", "correct option is"};
    size_t best = std::string_view::npos;
    char found = 0;
    for (std::string_view cue : cues) {
        for (size_t at = low.find(cue); at != std::string_view::npos; at = low.find(cue, at + 1)) {
            size_t i = at + cue.size();
            while (i < answer.size() && (is_space(answer[i]) || answer[i] == '(' || answer[i] == '*' ||
                                         answer[i] == ':' || answer[i] == '"')) {
                ++i;
            }
            if (i < answer.size() && is_upper(answer[i]) && options.has(answer[i]) &&
                (i + 1 == answer.size() || !is_alpha(answer[i + 1]))) {
                if (best == std::string_view::npos || at > best) {  // the last statement wins
                    best = at;
                    found = answer[i];
                }
            }
        }
    }
    if (found != 0) {
        letter = found;
        return true;
    }
    return false;
}

// A reply that starts with "B)" or "B." or "(B)".
bool letter_at_start(std::string_view answer, const prompt_options & options, char & letter) {
    answer = trim(answer);
    char l = 0;
    std::string_view text;
    if (option_line(answer.substr(0, answer.find('\n')), l, text) && options.has(l)) {
        letter = l;
        return true;
    }
    return false;
}

// Exactly one option's text occurs in the reply.
bool letter_by_text(std::string_view low, const prompt_options & options, char & letter) {
    char found = 0;
    for (const auto & o : options.options) {
        if (o.text.size() < 2 || o.text.size() > 200) {
            continue;
        }
        std::string needle(o.text.size(), ' ');
        std::transform(o.text.begin(), o.text.end(), needle.begin(), lower);
        if (low.find(needle) != std::string_view::npos) {
            if (found != 0) {
                return false;
            }
            found = o.letter;
        }
    }
    if (found != 0) {
        letter = found;
        return true;
    }
    return false;
}

// The last number of the text, commas removed, a trailing ".0..." dropped.
std::string last_number(std::string_view text) {
    size_t end = text.size();
    while (end > 0) {
        if (is_digit(text[end - 1])) {
            break;
        }
        --end;
    }
    if (end == 0) {
        return {};
    }
    size_t begin = end;
    while (begin > 0 && (is_digit(text[begin - 1]) || text[begin - 1] == ',' || text[begin - 1] == '.')) {
        --begin;
    }
    while (begin < end && !is_digit(text[begin])) {
        ++begin;
    }
    std::string out;
    for (size_t i = begin; i < end; ++i) {
        if (text[i] != ',') {
            out += text[i];
        }
    }
    if (begin > 0 && text[begin - 1] == '-') {
        out.insert(out.begin(), '-');
    }
    if (const size_t dot = out.find('.'); dot != std::string::npos) {
        size_t last = out.size();
        while (last > dot + 1 && out[last - 1] == '0') {
            --last;
        }
        out.resize(last == dot + 1 ? dot : last);
    }
    return out;
}

// The name of the first function the text defines ("def name(", "function name(",
// "fn name(", "func name(").
std::string first_function(std::string_view text) {
    static constexpr std::array<std::string_view, 4> keywords = {"def ", "function ", "fn ", "func "};
    size_t best = std::string_view::npos;
    std::string name;
    for (std::string_view kw : keywords) {
        for (size_t at = text.find(kw); at != std::string_view::npos; at = text.find(kw, at + 1)) {
            if (at > 0 && is_ident(text[at - 1])) {
                continue;
            }
            size_t i = at + kw.size();
            while (i < text.size() && text[i] == ' ') {
                ++i;
            }
            size_t j = i;
            while (j < text.size() && is_ident(text[j])) {
                ++j;
            }
            if (j > i && j < text.size() && (text[j] == '(' || text[j] == '<')) {
                if (at < best) {
                    best = at;
                    name.assign(text.substr(i, j - i));
                }
                break;
            }
        }
    }
    return name;
}

// Calls visit(length, hash) for each run of ASCII letters.
template <class visitor>
void each_word(std::string_view text, visitor && visit) {
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && !is_alpha(text[i])) {
            ++i;
        }
        size_t j = i;
        uint64_t h = 0xcbf29ce484222325ULL;
        while (j < text.size() && is_alpha(text[j])) {
            h = (h ^ static_cast<unsigned char>(lower(text[j]))) * 0x100000001b3ULL;
            ++j;
        }
        if (j > i) {
            visit(j - i, mix_hash(h));
        }
        i = j;
    }
}

bool has_code(std::string_view answer) {
    return answer.find("```") != std::string_view::npos || answer.find("def ") != std::string_view::npos ||
           answer.find("function ") != std::string_view::npos;
}

}  // namespace

const char * to_string(answer_kind kind) {
    switch (kind) {
        case answer_kind::none: return "none";
        case answer_kind::option: return "option";
        case answer_kind::number: return "number";
        case answer_kind::code: return "code";
    }
    return "none";
}

prompt_options prompt_options::read(std::string_view prompt) {
    prompt_options out;
    size_t pos = 0;
    while (pos < prompt.size()) {
        size_t end = prompt.find('\n', pos);
        if (end == std::string_view::npos) {
            end = prompt.size();
        }
        char letter = 0;
        std::string_view text;
        if (option_line(prompt.substr(pos, end - pos), letter, text)) {
            if (letter == 'A') {
                out.options.clear();  // a new question: keep the last one's options
            }
            const char expected = static_cast<char>('A' + out.options.size());
            if (letter == expected) {
                out.options.push_back({letter, text});
            }
        }
        pos = end + 1;
    }
    if (out.options.size() < 2) {
        out.options.clear();
    }
    const std::string_view tail = prompt.size() > 8192 ? prompt.substr(prompt.size() - 8192) : prompt;
    each_word(tail, [&](size_t, uint64_t h) { out.words.set(h & 8191); });
    return out;
}

bool prompt_options::has(char letter) const {
    for (const auto & o : options) {
        if (o.letter == letter) {
            return true;
        }
    }
    return false;
}

final_answer extract_final_answer(const prompt_options & options, std::string_view answer) {
    final_answer out;
    if (!options.empty()) {
        char letter = 0;
        if (letter_alone(answer, options, letter) || letter_at_start(answer, options, letter)) {
            out.kind = answer_kind::option;
            out.value.assign(1, letter);
            return out;
        }
        const std::string_view low = lowered(answer);
        if (letter_after_cue(answer, low, options, letter) || letter_by_text(low, options, letter)) {
            out.kind = answer_kind::option;
            out.value.assign(1, letter);
        }
        return out;
    }
    if (has_code(answer)) {
        out.kind = answer_kind::code;
        out.value = first_function(answer);
        return out;
    }
    // "#### 42" and "answer is 42" state the answer (the first number after
    // them); otherwise the last number.
    std::string number;
    size_t cue = answer.rfind("####");
    if (cue == std::string_view::npos) {
        cue = lowered(answer).rfind("answer is");
    }
    if (cue != std::string_view::npos) {
        size_t end = cue;
        while (end < answer.size() && !is_digit(answer[end])) {
            ++end;
        }
        while (end < answer.size() && (is_digit(answer[end]) || answer[end] == ',' ||
                                       (answer[end] == '.' && end + 1 < answer.size() && is_digit(answer[end + 1])))) {
            ++end;
        }
        number = last_number(answer.substr(0, end).substr(cue));
    }
    if (number.empty()) {
        number = last_number(answer);
    }
    if (!number.empty()) {
        out.kind = answer_kind::number;
        out.value = std::move(number);
    }
    return out;
}

answer_cues read_cues(const prompt_options & options, std::string_view answer) {
    answer_cues cues;
    static constexpr std::array<std::string_view, 9> refusals = {
        "i cannot", "i can't", "i'm sorry", "i am sorry", "as an ai", "i'm not able", "i am not able",
        "i apologize", "cannot be determined"};
    static constexpr std::array<std::string_view, 10> hedges = {
        "i think", "not sure", "might", "possibly", "perhaps", "it depends", "unclear", "however", "likely",
        "it is difficult"};
    const std::string_view head = answer.substr(0, std::min<size_t>(answer.size(), 4096));
    const std::string_view low = lowered(head);
    for (std::string_view r : refusals) {
        if (low.find(r) != std::string_view::npos) {
            cues.refusal = true;
            break;
        }
    }
    for (std::string_view h : hedges) {
        for (size_t at = low.find(h); at != std::string_view::npos && cues.hedges < 8; at = low.find(h, at + 1)) {
            ++cues.hedges;
        }
    }
    const size_t fence = answer.find("```");
    // without a fence, the whole answer is the code: its first function is looked up once
    const std::string unfenced_function = fence == std::string_view::npos ? first_function(answer) : std::string();
    cues.code_block = fence != std::string_view::npos || !unfenced_function.empty();
    if (fence != std::string_view::npos) {
        size_t i = fence + 3;
        const size_t begin = i;
        while (i < answer.size() && is_alpha(answer[i]) && i - begin < 16) {
            ++i;
        }
        cues.code_language = answer.substr(begin, i - begin);
    }
    if (cues.code_block) {
        std::string_view code = answer;
        if (fence != std::string_view::npos) {
            const size_t close = answer.find("```", fence + 3);
            code = answer.substr(fence + 3, close == std::string_view::npos ? std::string_view::npos : close - fence - 3);
        }
        int round = 0;
        int square = 0;
        int curly = 0;
        bool negative = false;
        for (char c : code) {
            round += c == '(' ? 1 : c == ')' ? -1 : 0;
            square += c == '[' ? 1 : c == ']' ? -1 : 0;
            curly += c == '{' ? 1 : c == '}' ? -1 : 0;
            negative = negative || round < 0 || square < 0 || curly < 0;
        }
        const bool defines = fence == std::string_view::npos ? !unfenced_function.empty() : !first_function(code).empty();
        cues.code_balanced = !negative && round == 0 && square == 0 && curly == 0 && defines;
    }
    if (!options.empty()) {
        uint32_t seen = 0;
        for (size_t i = 0; i < head.size(); ++i) {
            const char c = head[i];
            if (is_upper(c) && options.has(c) && (i == 0 || !is_alpha(head[i - 1])) &&
                (i + 1 == head.size() || !is_alpha(head[i + 1]))) {
                seen |= 1u << (c - 'A');
            }
        }
        cues.options_mentioned = std::popcount(seen);
    }
    size_t long_words = 0;
    size_t shared = 0;
    each_word(head, [&](size_t length, uint64_t h) {
        ++cues.words;
        if (length >= 3) {
            ++long_words;
            shared += options.words.test(h & 8191) ? 1 : 0;
        }
    });
    cues.prompt_overlap = long_words > 0 ? static_cast<double>(shared) / static_cast<double>(long_words) : 0.0;
    return cues;
}

}  // namespace tiergate::router
