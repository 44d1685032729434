#include "guard/detectors.h"
#include "guard/lexicon.h"
#include "guard/recognizer_options.h"
#include "guard/text_chars.h"
#include "guard/word_table.h"
#include "guard/word_tokens.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace tiergate::guard {

namespace {

constexpr std::array<std::string_view, 75> person_cues = {
    "email", "message", "ping", "remind", "invite", "congratulate", "married", "hired", "fired",
    "dear", "hi", "hello", "hey", "thanks", "regards", "sincerely", "cheers", "signed", "named", "called",
    "meet", "attn", "cc", "son", "daughter", "kid", "kids", "child", "wife", "husband", "mother", "mom",
    "mum", "father", "dad", "brother", "sister", "friend", "boss", "colleague", "coworker", "partner",
    "uncle", "aunt", "cousin", "nephew", "niece", "grandson", "granddaughter", "grandmother", "grandfather",
    "patient", "client", "neighbor", "neighbour", "tenant", "landlord", "fiance", "fiancé", "girlfriend",
    "boyfriend", "spouse", "says", "said", "asked", "told", "tell", "ask", "i'm", "name's", "by", "employee",
    "user", "customer", "congratulations",
};

constexpr std::array<std::string_view, 24> person_post_cues = {
    "said", "says", "wrote", "asked", "replied", "explained", "added", "noted", "told", "thinks", "believes",
    "claims", "shouted", "whispered", "lives", "lived", "began", "married", "studied", "graduated", "smiled",
    "laughed", "cried", "himself",
};

constexpr std::array<std::string_view, 9> naming_verbs = {
    "named", "called", "call", "calls", "nicknamed", "christened", "baptized", "baptised", "name",
};

constexpr std::array<std::string_view, 10> looking_verbs = {
    "shouted", "yelled", "smiled", "looked", "waved", "stared", "glanced", "winked", "laughed", "screamed",
};

constexpr std::array<std::string_view, 14> plural_person_verbs = {
    "were", "are", "have", "had", "met", "married", "founded", "formed", "wrote", "played", "sang", "recorded",
    "lived", "became",
};

constexpr std::array<std::string_view, 22> vocative_followers = {
    "can", "could", "would", "will", "please", "you", "thank", "thanks", "are", "do", "did", "have", "how",
    "what", "where", "when", "why", "listen", "look", "come", "wait", "stop",
};

constexpr std::array<std::string_view, 40> place_verbs = {
    "live", "lives", "living", "lived", "moved", "move", "moving", "born", "based", "located", "flew",
    "fly", "flying", "travel", "travelled", "traveled", "traveling", "travelling", "went", "going", "go",
    "come", "came", "coming", "arrived", "stay", "staying", "stayed", "trip", "vacation", "holiday",
    "relocated", "here", "headquartered", "situated", "grew", "up", "am", "i'm", "originally",
};

constexpr std::array<std::string_view, 10> place_nouns = {
    "city", "town", "village", "capital", "province", "region", "county", "state", "suburb", "district",
};

constexpr std::array<std::string_view, 14> org_roles = {
    "ceo", "cto", "cfo", "coo", "founder", "co-founder", "president", "chairman", "director", "employee",
    "head", "owner", "member", "spokesperson",
};

constexpr std::array<std::string_view, 10> work_verbs = {
    "work", "works", "worked", "working", "employed", "job", "intern", "interning", "joined", "hired",
};

constexpr std::array<std::string_view, 11> strong_suffixes = {
    "street", "avenue", "road", "boulevard", "lane", "drive", "terrace", "parkway", "highway", "crescent", "plaza",
};

// Per-token flag beside the lexicon's: the word ends in a possessive "'s".
constexpr uint32_t possessive_bit = 1u << 31;

template <size_t n>
bool in(std::string_view word, const std::array<std::string_view, n> & list) {
    for (std::string_view w : list) {
        if (w == word) {
            return true;
        }
    }
    return false;
}

class name_recognizer {
  public:
    // The per-text working storage, kept per thread so that scanning does not
    // allocate again for every request.
    struct scratch {
        word_tokens words;
        std::vector<uint8_t> claimed;
        std::vector<uint32_t> flags;
        std::vector<uint8_t> title_case;
        std::vector<uint32_t> next_cap;
        std::vector<uint32_t> next_address;
        std::vector<uint8_t> person;
        std::vector<size_t> pattern_starts;
    };

    static scratch & thread_scratch() {
        thread_local scratch s;
        return s;
    }

    name_recognizer(std::string_view text, const recognizer_options & options, std::vector<finding> & out)
        : text_(text), options_(options), out_(out), scratch_(thread_scratch()), words_(scratch_.words),
          claimed_(scratch_.claimed), flags_(scratch_.flags), title_case_(scratch_.title_case),
          next_cap_(scratch_.next_cap), next_address_(scratch_.next_address) {
        tokenize_words(text, words_);
        const size_t n = words_.size();
        claimed_.assign(n, 0);
        flags_.resize(n);
        // a text without any capital letter: capitalization carries no signal,
        // so every word may start a name (dictionaries and cues still decide)
        lowercase_text_ = true;
        for (size_t i = 0; i < n; ++i) {
            const word_token & t = words_[i];
            if (t.kind == token_kind::word) {
                const char * lower = words_.lower_data(t);
                if (t.lower_size > 3 && lower[t.lower_size - 2] == '\'' && lower[t.lower_size - 1] == 's') {
                    // "Matej's": the lists hold the name without the possessive
                    flags_[i] = lexicon::word_flags_padded(lower, t.lower_size - 2) | possessive_bit;
                } else {
                    flags_[i] = lexicon::word_flags_padded(lower, t.lower_size);
                }
                lowercase_text_ = lowercase_text_ && !t.capitalized;
            } else {
                flags_[i] = 0;
            }
        }
        mark_title_case();
        // where the checked patterns found so far start (phones, e-mails, ...): an address stops there
        std::vector<size_t> & starts = scratch_.pattern_starts;
        starts.clear();
        for (const finding & f : out_) {
            if (f.type != entity_type::date_time) {
                starts.push_back(f.start);
            }
        }
        std::sort(starts.begin(), starts.end());
        // where each pass may start: the recognizers skip every other token
        next_cap_.resize(n + 1);
        next_address_.resize(n + 1);
        next_cap_[n] = static_cast<uint32_t>(n);
        next_address_[n] = static_cast<uint32_t>(n);
        for (size_t i = n; i-- > 0;) {
            next_cap_[i] = cap_word(i) ? static_cast<uint32_t>(i) : next_cap_[i + 1];
            next_address_[i] = address_start(i) ? static_cast<uint32_t>(i) : next_address_[i + 1];
        }
    }

    // Keeps the per-thread buffers for request-sized texts; gives back the
    // memory a very large text needed.
    void release_large_buffers() {
        constexpr size_t keep_tokens = 1u << 16;
        if (words_.capacity() > keep_tokens) {
            scratch_ = scratch{};
        }
    }

    void run() {
        if (options_.patterns) {
            addresses();
            date_words();
        }
        if (options_.dictionaries) {
            organizations_by_dictionary();
            organizations_by_structure();
            organizations_by_suffix();
        }
        if (options_.context) {
            persons_by_context();
        }
        if (options_.dictionaries) {
            persons_by_dictionary();
            places_by_dictionary();
        }
        if (options_.context) {
            places_by_context();
            organizations_by_context();
        }
        if (options_.context) {
            coordinated_persons();
        }
        if (options_.shape) {
            by_shape();
        }
        if (options_.context) {
            repeated_names();
        }
    }

    // A name found once names the same person elsewhere in the text:
    // "directed by Maciej Borkowski and starring Borkowski".
    void repeated_names() {
        constexpr size_t max_keys = 64;
        std::array<std::string_view, max_keys> keys;
        size_t count = 0;
        for (const finding & f : out_) {
            if (f.type != entity_type::person) {
                continue;
            }
            const auto * first = std::lower_bound(words_.begin(), words_.end(), f.start,
                                                  [](const word_token & t, size_t pos) { return t.start < pos; });
            for (const auto * it = first; it != words_.end() && it->start < f.end && count < max_keys; ++it) {
                const size_t k = static_cast<size_t>(it - words_.begin());
                if (!is_word(k) || it->end - it->start < 3 || has(k, lexicon::name_particle_flag | lexicon::common_word_flag)) {
                    continue;
                }
                const std::string_view key = stem(k);
                if (std::find(keys.begin(), keys.begin() + count, key) == keys.begin() + count) {
                    keys[count++] = key;
                }
            }
        }
        if (count == 0) {
            return;
        }
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            if (!name_word(i) || tok(i).all_caps || title_case_[i]) {
                continue;
            }
            if (std::find(keys.begin(), keys.begin() + count, stem(i)) == keys.begin() + count) {
                continue;
            }
            const size_t b = extend_name(i);
            emit(entity_type::person, i, b, 0.6f, finding_source::context);
            i = b;
        }
    }

    // The lowercase word without a possessive "'s".
    std::string_view stem(size_t i) const {
        const std::string_view w = low(i);
        return (flags_[i] & possessive_bit) != 0 ? w.substr(0, w.size() - 2) : w;
    }

    // Names listed with a found person ("Anna, Erik and Gaetane"): the
    // unknown ones are persons too.
    void coordinated_persons() {
        std::vector<uint8_t> & person = scratch_.person;
        person.assign(size(), 0);
        for (const finding & f : out_) {
            if (f.type != entity_type::person) {
                continue;
            }
            auto first = std::lower_bound(words_.begin(), words_.end(), f.start,
                                          [](const word_token & t, size_t pos) { return t.start < pos; });
            for (auto it = first; it != words_.end() && it->end <= f.end; ++it) {
                person[static_cast<size_t>(it - words_.begin())] = 1;
            }
        }
        auto joiner = [&](size_t k) { return is_punct(k, ',') || (is_word(k) && (low(k) == "and" || low(k) == "or")); };
        for (int pass = 0; pass < 2; ++pass) {
            for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
                if (!name_word(i) || title_case_[i]) {
                    continue;
                }
                const size_t b = extend_name(i);
                bool linked = false;
                if (i >= 2 && joiner(i - 1) && person[i - 2]) {
                    linked = true;
                }
                if (b + 2 < size() && joiner(b + 1) && person[b + 2]) {
                    linked = true;
                }
                if (b + 3 < size() && is_punct(b + 1, ',') && is_word(b + 2) && low(b + 2) == "and" && person[b + 3]) {
                    linked = true;
                }
                if (!linked) {
                    continue;
                }
                emit(entity_type::person, i, b, 0.55f, finding_source::context);
                for (size_t k = i; k <= b; ++k) {
                    person[k] = 1;
                }
                i = b;
            }
        }
    }

  private:
    std::string_view text_;
    const recognizer_options & options_;
    std::vector<finding> & out_;
    scratch & scratch_;
    word_tokens & words_;
    std::vector<uint8_t> & claimed_;
    std::vector<uint32_t> & flags_;      // per token: the word lists it belongs to
    std::vector<uint8_t> & title_case_;  // per token: inside a title-cased line or clause
    std::vector<uint32_t> & next_cap_;      // per token: the first word at or after it that may start a name
    std::vector<uint32_t> & next_address_;  // per token: the first token at or after it that may start an address
    bool lowercase_text_ = false;

    // A token where addresses() may find an address: a number, a capitalized
    // word, a street word, or a word that starts a special form.
    bool address_start(size_t i) const {
        if (is_number(i) || cap_word(i)) {
            return true;
        }
        if (!is_word(i)) {
            return false;
        }
        if (has(i, lexicon::street_suffix_flag | lexicon::street_word_ending_flag | lexicon::street_prefix_flag)) {
            return true;
        }
        const std::string_view w = low(i);
        return w == "corner" || w == "fpo" || w == "apo" || w == "dpo";
    }

    // Marks clauses (between sentence ends and line breaks) where function
    // words are capitalized ("Musicians Of The 70s You're Supposed To Hate"):
    // headlines and titles, where capitals do not mark names.
    void mark_title_case() {
        title_case_.assign(size(), 0);
        size_t begin = 0;
        size_t capital_function_words = 0;
        for (size_t i = 0; i <= size(); ++i) {
            const bool boundary = i == size() || tok(i).kind == token_kind::newline ||
                                  (tok(i).kind == token_kind::punct &&
                                   (text_[tok(i).start] == '.' || text_[tok(i).start] == '!' ||
                                    text_[tok(i).start] == '?' || text_[tok(i).start] == ':' ||
                                    text_[tok(i).start] == '"'));
            if (boundary) {
                if (capital_function_words >= 2) {
                    for (size_t k = begin; k < i; ++k) {
                        title_case_[k] = 1;
                    }
                }
                begin = i + 1;
                capital_function_words = 0;
                continue;
            }
            if (is_word(i) && tok(i).capitalized && !tok(i).all_caps && i > begin && has(i, lexicon::function_word_flag)) {
                ++capital_function_words;
            }
        }
    }

    size_t size() const { return words_.size(); }
    const word_token & tok(size_t i) const { return words_[i]; }
    std::string_view low(size_t i) const { return words_.lower_of(words_[i]); }
    bool has(size_t i, uint32_t flag) const { return (flags_[i] & flag) != 0; }
    bool is_word(size_t i) const { return i < size() && tok(i).kind == token_kind::word; }
    bool is_number(size_t i) const { return i < size() && tok(i).kind == token_kind::number; }
    bool is_punct(size_t i, char c) const {
        return i < size() && tok(i).kind == token_kind::punct && text_[tok(i).start] == c;
    }
    bool is_newline(size_t i) const { return i < size() && tok(i).kind == token_kind::newline; }
    bool cap_word(size_t i) const { return is_word(i) && (tok(i).capitalized || lowercase_text_); }
    bool free(size_t i) const { return i < size() && claimed_[i] == 0; }

    bool sentence_start(size_t i) const {
        if (i == 0) {
            return true;
        }
        const word_token & p = tok(i - 1);
        if (p.kind == token_kind::word || p.kind == token_kind::number) {
            return false;
        }
        if (p.kind == token_kind::punct) {
            const char c = text_[p.start];
            return c != ',' && c != '&' && c != '-' && c != '(';
        }
        return true;
    }

    // A capitalized word that can be part of a name.
    bool name_word(size_t i) const {
        if (!cap_word(i) || !free(i)) {
            return false;
        }
        const std::string_view w = low(i);
        if (has(i, lexicon::common_word_flag) || (has(i, lexicon::date_word_flag) && w.size() > 3) || has(i, lexicon::title_word_flag) ||
            has(i, lexicon::demonym_flag)) {
            return false;
        }
        if (options_.dictionaries && (has(i, lexicon::org_suffix_flag) ||
                                      (has(i, lexicon::street_suffix_flag) &&
                                       !has(i, lexicon::first_name_flag | lexicon::surname_flag)))) {
            return false;
        }
        return true;
    }

    bool initial(size_t i) const { return cap_word(i) && tok(i).end - tok(i).start == 1 && free(i); }

    // Last token of a name starting at i: following name words, initials
    // ("M." or "M") and particles before a name word; at most four words.
    size_t extend_name(size_t i) const {
        size_t last = i;
        size_t count = 1;
        size_t k = i + 1;
        while (k < size() && count < 4) {
            if (initial(k)) {
                last = is_punct(k + 1, '.') ? k + 1 : k;
                k = last + 1;
                ++count;
                continue;
            }
            if (name_word(k) && tok(k).space_before) {
                last = k;
                ++k;
                ++count;
                continue;
            }
            if (is_word(k) && !tok(k).capitalized && has(k, lexicon::name_particle_flag) && name_word(k + 1)) {
                last = k + 1;
                k += 2;
                count += 2;
                continue;
            }
            break;
        }
        return last;
    }

    // End of token i without a possessive "'s" ("’s").
    size_t end_without_possessive(size_t i) const {
        const size_t end = tok(i).end;
        if ((flags_[i] & possessive_bit) == 0) {
            return end;
        }
        if (text_[end - 2] == '\'') {
            return end - 2;
        }
        return end >= 4 && text_.substr(end - 4, 3) == "\u2019" ? end - 4 : end;
    }

    void emit(entity_type type, size_t a, size_t b, float score, finding_source source) {
        out_.push_back({type, tok(a).start, end_without_possessive(b), score, source, 0});
        for (size_t k = a; k <= b; ++k) {
            claimed_[k] = 1;
        }
    }

    // The previous word before i, skipping one of ":,?-" punctuation; npos if none.
    size_t previous_word(size_t i) const {
        if (i == 0) {
            return std::string_view::npos;
        }
        size_t p = i - 1;
        if (tok(p).kind == token_kind::punct) {
            const char c = text_[tok(p).start];
            if ((c == ':' || c == ',' || c == '?' || c == '-') && p > 0) {
                --p;
            } else {
                return std::string_view::npos;
            }
        }
        return is_word(p) ? p : std::string_view::npos;
    }

    // ---- street addresses ----

    bool suffix_keyword(size_t i) const {
        if (!is_word(i)) {
            return false;
        }
        const bool number_follows = is_number(i + 1) || (is_punct(i + 1, '.') && is_number(i + 2));
        return ((tok(i).capitalized || lowercase_text_ || number_follows) && has(i, lexicon::street_suffix_flag)) ||
               has(i, lexicon::street_word_ending_flag);
    }

    // extends an address over a unit ("Apt. 4"), and a locality tail
    // (city, state code, postal code, country) when the tail carries evidence.
    size_t address_tail(size_t a, size_t b) const {
        size_t k = b + 1;
        // unit phrase right after the street
        if (is_punct(k, ',') && unit_at(k + 1) != 0) {
            k = k + 1;
        }
        if (const size_t u = unit_at(k); u != 0) {
            b = u;
            k = u + 1;
        }
        // a street with a number or unit: a run of capitalized words that ends
        // its line (or the text) is the locality even when it is not a known place
        bool numbered = false;
        for (size_t x = a; x <= b; ++x) {
            numbered = numbered || house_number(x);
        }
        size_t commit = b;
        size_t run_start = 0;  // first and last word of a locality run not yet committed (run_end 0: none)
        size_t run_end = 0;
        size_t steps = 0;
        size_t newlines = 0;
        const auto line_ends = [&] {
            // a line that starts with a given name is a person's name more often than a town's
            const bool person_like = run_end != 0 && has(run_start, lexicon::first_name_flag) &&
                                     !has(run_start, lexicon::place_flag);
            if (numbered && run_end > commit && !person_like) {
                commit = run_end;
            }
            run_end = 0;
        };
        while (k < size() && steps < 20) {
            const word_token & t = tok(k);
            if (k > b + 1 && pattern_starts_at(k) &&
                (!is_number(k) || is_newline(k - 1) || (is_punct(k - 1, text_[tok(k - 1).start]) && k >= 2 && is_newline(k - 2)))) {
                break;  // the phone number or e-mail on the next line is not part of the address
            }
            if (t.kind == token_kind::newline) {
                line_ends();
                if (++newlines > 5 || (is_newline(k + 1) && is_newline(k + 2))) {
                    break;
                }
            } else if (const size_t u = unit_at(k); u != 0) {
                commit = u;  // "\n Apt. 839" on a line of its own
                k = u;
                run_end = 0;
            } else if (t.kind == token_kind::punct && k > 0 && (is_newline(k - 1) || (is_punct(k - 1, text_[t.start]) &&
                                                                                     !tok(k).space_before))) {
                // a line prefix ("> ", "??? ", "- ") before the next line of the address
            } else if (t.kind == token_kind::punct) {
                const char c = text_[t.start];
                if (c == '.') {
                    // "Col. Del Valle", "T. Nagar": the period of an abbreviation inside the locality
                    if (k > 0 && is_word(k - 1) && tok(k - 1).end - tok(k - 1).start <= 3 && tok(k - 1).capitalized &&
                        cap_word(k + 1) && tok(k + 1).space_before) {
                        ++k;
                        ++steps;
                        continue;
                    }
                    line_ends();  // the end of a sentence
                    break;
                }
                if (c != ',' && c != '-' && !(c == '>' && k > 0 && is_newline(k - 1)) && c != '(' && c != ')' &&
                    c != '#' && c != '/') {
                    break;
                }
            } else if (t.kind == token_kind::number) {
                const size_t len = t.end - t.start;
                const bool joined = (k > 0 && (is_punct(k - 1, '-') || is_punct(k - 1, '#')) && !t.space_before) ||
                                    (glued_letters(k + 1) && tok(k + 1).all_caps) ||  // "LS6 2AB"
                                    (is_punct(k + 1, '-') && !tok(k + 1).space_before && is_number(k + 2));  // "00-514"
                const bool after_locality = run_end + 1 == k;                      // "Praha 1"
                const bool street_line = cap_word(k + 1) && tok(k + 1).space_before;  // ", 27 Kingsley Road"
                if (len > 6 || (len < 3 && !joined && !after_locality && !street_line)) {
                    break;
                }
                // two numbers in a row are a phone number, not a postal code, unless
                // they are one written in two groups ("111 21", "105 63")
                if (is_number(k + 1) && tok(k + 1).space_before) {
                    if (len == 3 && tok(k + 1).end - tok(k + 1).start == 2 && !is_number(k + 2)) {
                        ++k;
                    } else {
                        break;
                    }
                }
                commit = house_number_end(k);
                k = commit;
                run_end = 0;
            } else if (postal_code_word(k)) {
                commit = k;
                run_end = 0;
            } else {
                if (!t.capitalized && !lowercase_text_) {
                    // "Ciudad de México", "Rio de Janeiro": a particle inside a locality
                    if (run_end + 1 == k && has(k, lexicon::name_particle_flag) && cap_word(k + 1)) {
                        ++k;
                        ++steps;
                        continue;
                    }
                    break;
                }
                const std::string_view w = low(k);
                const size_t place = options_.dictionaries ? place_at(k) : 0;
                if (place > 1) {
                    commit = k + place - 1;  // "South Africa"
                    k = commit;
                    run_end = 0;
                } else if (lexicon::us_state_code(text_.substr(t.start, t.end - t.start)) || place == 1 ||
                           (options_.dictionaries && has(k, lexicon::place_flag)) ||
                           has(k, lexicon::street_suffix_flag) || w == "west" || w == "east" || w == "north" ||
                           w == "south" || w == "ouest" || w == "est" || w == "nord" || w == "sud" || w == "nw" ||
                           w == "ne" || w == "sw" || w == "se") {
                    commit = k;  // a state, a known place, a street word or a direction ("Queen Street West")
                    run_end = 0;
                } else if (has(k, lexicon::common_word_flag) && !t.all_caps &&
                           (has(k, lexicon::function_word_flag) || !(cap_word(k + 1) && tok(k + 1).space_before))) {
                    break;  // "Little Bardfield", "Port Elizabeth" go on; "Thanks" ends the address
                } else {
                    if (run_end == 0) {
                        run_start = k;
                    }
                    run_end = k;
                }
            }
            ++k;
            ++steps;
        }
        if (k >= size()) {
            line_ends();
        }
        return commit;
    }

    // True when a checked pattern (a phone number, an e-mail address, ...) starts at token k.
    bool pattern_starts_at(size_t k) const {
        const std::vector<size_t> & starts = scratch_.pattern_starts;
        return std::binary_search(starts.begin(), starts.end(), static_cast<size_t>(tok(k).start));
    }

    // A postal code written with letters: "LS6", "2AB", "M5H", "C1043AAZ",
    // or the two letters after a Dutch four-digit code ("1015 CJ").
    bool postal_code_word(size_t k) const {
        if (!is_word(k) || !tok(k).all_caps) {
            return false;
        }
        const size_t len = tok(k).end - tok(k).start;
        size_t digits = 0;
        for (uint32_t p = tok(k).start; p < tok(k).end; ++p) {
            digits += is_digit(text_[p]) ? 1 : 0;
        }
        if (digits > 0 && digits < len && len >= 2 && len <= 8) {
            return true;
        }
        return len == 2 && digits == 0 && k > 0 && is_number(k - 1) && tok(k - 1).end - tok(k - 1).start == 4 &&
               !lexicon::us_state_code(text_.substr(tok(k).start, 2));
    }

    // A unit phrase starting at i ("Apt. 12", "Suite 400", "Unit #4", "Box 12"): its last token, or 0.
    size_t unit_at(size_t i) const {
        if (!cap_word(i) || !has(i, lexicon::unit_word_flag)) {
            return 0;
        }
        size_t k = i + 1;
        if (is_punct(k, '.')) {
            ++k;
        }
        if (is_punct(k, '#')) {
            ++k;
        }
        if (is_number(k)) {
            return house_number_end(k);
        }
        return 0;
    }

    // A house number: up to six digits (a letter may follow, see house_number_end).
    bool house_number(size_t k) const { return is_number(k) && tok(k).end - tok(k).start <= 6; }

    // True when token k is one or two letters glued to the number before it ("92a", "221B", "2AB").
    bool glued_letters(size_t k) const {
        return is_word(k) && !tok(k).space_before && tok(k).end - tok(k).start <= 3 && k > 0 && is_number(k - 1);
    }

    // The last token of the house number at k: "92a" and "221B" span two
    // tokens, "84/92" and "12-14" three.
    size_t house_number_end(size_t k) const {
        if (glued_letters(k + 1)) {
            ++k;
        }
        if ((is_punct(k + 1, '/') || is_punct(k + 1, '-')) && !tok(k + 1).space_before && house_number(k + 2) &&
            !tok(k + 2).space_before) {
            k += 2;
            if (glued_letters(k + 1)) {
                ++k;
            }
        }
        return k;
    }

    // "10115 Lindenweg 7", "Kossuth 18" after an address cue: a house number,
    // one to four name words and a number, the European order.
    size_t house_number_form(size_t i) const {
        const bool number_first = is_number(i) && tok(i).end - tok(i).start <= 6;
        size_t k = number_first ? i + 1 : i;
        if (!number_first && !cap_word(i)) {
            return 0;
        }
        size_t words = 0;
        while (k < size() && words < 4) {
            if (is_word(k) && (tok(k).capitalized || lowercase_text_) && !has(k, lexicon::common_word_flag) &&
                !has(k, lexicon::date_word_flag)) {
                ++words;
            } else if (is_word(k) && has(k, lexicon::name_particle_flag) && words > 0) {
            } else if (is_punct(k, '.') && k > 0 && is_word(k - 1) && low(k - 1).size() <= 4) {
            } else {
                break;
            }
            ++k;
        }
        if (words == 0) {
            return 0;
        }
        if (!is_number(k) || tok(k).end - tok(k).start > 5) {
            // "is at 214 Pavlou Drandaki": a number and name words that end the
            // clause, after an address cue
            const bool clause_ends = k >= size() || is_newline(k) || is_punct(k, ',') ||
                                     (is_punct(k, '.') && (k + 1 >= size() || tok(k + 1).space_before));
            if (number_first && words >= 2 && clause_ends && address_cue(tok(i).start)) {
                return k - 1;
            }
            return 0;
        }
        const bool cued = address_cue(tok(i).start);
        if (!number_first && !cued) {
            return 0;
        }
        // the number must end the street: a line break, comma, unit, period or the end follows
        const size_t n = k + 1;
        if (is_punct(n, '.') && (n + 1 >= size() || is_newline(n + 1) || tok(n + 1).space_before)) {
            return n;
        }
        if (n >= size() || is_newline(n) || is_punct(n, ',') || unit_at(n) != 0 || is_punct(n, '?')) {
            return k;
        }
        if (number_first && is_word(n) && has(n, lexicon::street_suffix_flag)) {
            return is_punct(n + 1, '.') ? n + 1 : n;
        }
        // "return to Eyrarodda 66 in case of an issue": the sentence goes on after the address
        if (cued && !number_first && is_word(n) && !tok(n).capitalized && has(n, lexicon::function_word_flag)) {
            return k;
        }
        return 0;
    }

    bool address_cue(size_t pos) const {
        static constexpr std::array<std::string_view, 14> cues = {
            "address", "lives at", "lives on", "live at", "live on", "located at", "sent to", "send it to",
            "deliver", "ship to", "drops you off", "return to", " is at ", " are at ",
        };
        return guard::cue_before(text_, pos, 40, cues);
    }

    // US military addresses: "USNS Bergman\nFPO AP 93757", "PSC 3294, Box 9168\nAPO AA 61487".
    size_t military_address(size_t i, size_t & a) const {
        if (!is_word(i) || tok(i).end - tok(i).start != 3) {
            return 0;
        }
        const std::string_view w = low(i);
        if ((w != "fpo" && w != "apo" && w != "dpo") || !is_word(i + 1) || !is_number(i + 2)) {
            return 0;
        }
        const std::string_view region = low(i + 1);
        if (region != "aa" && region != "ae" && region != "ap") {
            return 0;
        }
        // the line before: ship, unit or PSC line
        // the line before: the ship, unit or PSC line ("USNS Bergman", "PSC 3294, Box 9168"),
        // which may follow other words on its line ("our office is at USNS Møller")
        if (i >= 2 && is_newline(i - 1)) {
            size_t j = i - 1;
            size_t steps = 0;
            while (j > 0 && !is_newline(j - 1) && steps < 12 && free(j - 1)) {
                --j;
                ++steps;
                const std::string_view w = is_word(j) ? low(j) : std::string_view{};
                if (w == "usns" || w == "usnv" || w == "uss" || w == "uscgc" || w == "psc" || w == "unit" ||
                    w == "cmr") {
                    a = j;
                }
            }
        }
        return i + 2;
    }

    void addresses() {
        for (size_t i = next_address_[0]; i < size(); i = next_address_[i + 1]) {
            if (!free(i)) {
                continue;
            }
            size_t a = i;
            size_t b = i;
            bool found = false;
            if (suffix_keyword(i)) {
                const std::string_view w = low(i);
                const bool compound = has(i, lexicon::street_word_ending_flag) && !has(i, lexicon::street_suffix_flag);
                size_t j = i;
                size_t words = 0;
                while (j > 0 && words < 4 && free(j - 1) && tok(j).space_before &&
                       ((cap_word(j - 1) && (!has(j - 1, lexicon::common_word_flag) ||
                                             has(j - 1, lexicon::street_suffix_flag))) ||  // "Marina Fort Street"
                        (is_word(j - 1) && has(j - 1, lexicon::name_particle_flag) && j - 1 != i))) {
                    --j;
                    ++words;
                }
                bool number_before = false;
                if (j > 0 && house_number(j - 1) && free(j - 1)) {
                    --j;
                    number_before = true;
                    if (j > 0 && is_number(j - 1) && free(j - 1)) {
                        --j;
                    }
                }
                a = j;
                if (is_punct(b + 1, '.') && w.size() <= 4) {
                    ++b;
                }
                bool number_after = false;
                if (house_number(b + 1) && tok(b + 1).end - tok(b + 1).start <= 5) {
                    b = house_number_end(b + 1);
                    number_after = true;
                }
                const bool has_words = words > 0 || compound;
                const bool strong = compound || in(w, strong_suffixes);
                const bool abbreviation = w == "st" || w == "dr" || w == "str" || w == "ave" || w == "rd";
                if (has_words && (number_before || number_after || (strong && !abbreviation))) {
                    found = !(abbreviation && !number_before && !number_after);
                }
                if (!found) {
                    a = i;
                    b = i;
                }
            }
            // "12 Avenue Mirabeau": a word that is a suffix in English and a prefix in French
            if (found) {
            } else if (is_word(i) && i + 1 < size() &&
                       ((has(i, lexicon::street_prefix_flag) &&
                         (cap_word(i) || is_punct(i + 1, '.') || (i > 0 && is_number(i - 1)))) ||
                        (low(i) == "c" && is_punct(i + 1, '/') && cap_word(i + 2)))) {  // "C/ Mayor 12"
                size_t k = i + 1;
                size_t words = 0;
                while (k < size() && k - i <= 5) {
                    if ((is_punct(k, '.') || is_punct(k, '/')) && k == i + 1) {
                        ++k;
                        continue;
                    }
                    if (cap_word(k) && !has(k, lexicon::common_word_flag)) {
                        ++words;
                    } else if (!(is_word(k) && has(k, lexicon::name_particle_flag))) {
                        break;
                    }
                    ++k;
                }
                if (words > 0) {
                    b = k - 1;
                    while (b > i && !cap_word(b)) {
                        --b;
                    }
                    if (house_number(b + 1) && tok(b + 1).end - tok(b + 1).start <= 5) {
                        b = house_number_end(b + 1);
                    }
                    if (a > 0 && is_number(a - 1) && free(a - 1)) {
                        --a;
                        if (a > 0 && is_number(a - 1) && free(a - 1)) {
                            --a;
                        }
                    }
                    found = true;
                }
            } else if (const size_t u = unit_at(i); u != 0) {
                b = u;
                found = true;
            } else if (const size_t e = military_address(i, a); e != 0) {
                b = e;
                found = true;
            } else if (const size_t e = house_number_form(i); e != 0) {
                b = e;
                found = true;
            } else if (is_word(i) && low(i) == "corner" && is_word(i + 1) && low(i + 1) == "of") {
                // "the corner of X and Y"
                if (i > 0 && is_word(i - 1) && low(i - 1) == "the" && free(i - 1)) {
                    a = i - 1;
                }
                size_t k = i + 2;
                size_t last = 0;
                while (k < size() && k - i < 16 && !is_newline(k) && !is_punct(k, '?') && !is_punct(k, '!') &&
                       !is_punct(k, ',')) {
                    if (is_word(k) && !tok(k).capitalized && !has(k, lexicon::name_particle_flag) && low(k) != "and" &&
                        !has(k, lexicon::street_suffix_flag) && !lowercase_text_) {
                        break;
                    }
                    if (is_punct(k, '.') && (k + 1 >= size() || tok(k + 1).space_before) &&
                        !(k > 0 && is_word(k - 1) && low(k - 1).size() <= 4)) {
                        break;
                    }
                    if (is_word(k) || is_number(k)) {
                        last = k;
                    }
                    ++k;
                }
                if (last != 0) {
                    b = last;
                    found = true;
                }
            } else if (is_word(i) && (low(i) == "po" || low(i) == "p") && tok(i).capitalized) {
                size_t k = i + 1;
                while (k < size() && k - i <= 3 && (is_punct(k, '.') || (is_word(k) && low(k) == "o"))) {
                    ++k;
                }
                if (is_word(k) && low(k) == "box" && is_number(k + 1)) {
                    b = k + 1;
                    found = true;
                }
            }
            if (!found) {
                continue;
            }
            // "Pine and Oakridge 40", "at Main and 5th Street": an intersection
            if (a >= 2 && is_word(a - 1) && low(a - 1) == "and" && free(a - 2) && cap_word(a - 2) &&
                !has(a - 2, lexicon::common_word_flag)) {
                size_t x = a - 2;
                while (x > 0 && a - x < 4 && free(x - 1) && cap_word(x - 1) && !has(x - 1, lexicon::common_word_flag) &&
                       tok(x).space_before) {
                    --x;
                }
                const size_t before = x > 0 ? x - 1 : std::string_view::npos;
                const bool placed = before != std::string_view::npos && is_word(before) &&
                                    (low(before) == "at" || low(before) == "to" || low(before) == "on" ||
                                     low(before) == "of" || low(before) == "is" || low(before) == "near");
                if (placed || address_cue(tok(x).start)) {
                    a = x;
                }
            }
            b = address_tail(a, b);
            emit(entity_type::street_address, a, b, 0.7f, finding_source::pattern);
            i = b;
        }
    }

    // ---- dates written with words ----

    void date_words() {
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            if (!cap_word(i) || !free(i) || !has(i, lexicon::date_word_flag)) {
                continue;
            }
            size_t a = i;
            size_t b = i;
            if (is_punct(b + 1, '.') && low(i).size() <= 4) {
                ++b;
            }
            if (a > 0 && is_number(a - 1) && tok(a - 1).end - tok(a - 1).start <= 2) {
                --a;
            }
            if (is_number(b + 1) && tok(b + 1).end - tok(b + 1).start <= 2) {
                ++b;
                if (is_word(b + 1) && (low(b + 1) == "st" || low(b + 1) == "nd" || low(b + 1) == "rd" || low(b + 1) == "th")) {
                    ++b;
                }
            }
            if (is_punct(b + 1, ',') && is_number(b + 2) && tok(b + 2).end - tok(b + 2).start == 4) {
                b += 2;
            } else if (is_number(b + 1) && tok(b + 1).end - tok(b + 1).start == 4) {
                ++b;
            }
            const bool abbreviation = low(i).size() <= 4 && low(i) != "june" && low(i) != "july";
            if (abbreviation && a == i && b <= i + 1) {
                continue;
            }
            emit(entity_type::date_time, a, b, 0.6f, finding_source::dictionary);
            i = b;
        }
    }

    // ---- organizations ----

    void organizations_by_suffix() {
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            if (!is_word(i) || !free(i) || !(tok(i).capitalized) || !has(i, lexicon::org_suffix_flag)) {
                continue;
            }
            const std::string_view w = low(i);
            // "University of Oslo", "Bank of America"
            if ((w == "university" || w == "bank" || w == "institute" || w == "ministry" || w == "college" ||
                 w == "department" || w == "academy") &&
                is_word(i + 1) && low(i + 1) == "of" && cap_word(i + 2) && free(i + 2)) {
                size_t b = i + 2;
                while (b + 1 < size() && b - i < 5 && cap_word(b + 1) && free(b + 1) && tok(b + 1).space_before) {
                    ++b;
                }
                emit(entity_type::organization, i, b, 0.8f, finding_source::dictionary);
                i = b;
                continue;
            }
            size_t j = i;
            size_t words = 0;
            while (j > 0 && words < 4 && free(j - 1)) {
                const size_t p = j - 1;
                if (cap_word(p) && !has(p, lexicon::common_word_flag)) {
                    ++words;
                } else if (is_punct(p, '&') || is_punct(p, ',') || (is_word(p) && low(p) == "and")) {
                    if (!(p > 0 && cap_word(p - 1))) {
                        break;
                    }
                } else {
                    break;
                }
                j = p;
            }
            if (words == 0) {
                continue;
            }
            while (j < i && !(cap_word(j) && !has(j, lexicon::common_word_flag))) {
                ++j;  // a name starts with a name word, not with "," "&" "and" "of"
            }
            const size_t b = org_suffixes_after(i);
            emit(entity_type::organization, j, b, 0.75f, finding_source::dictionary);
            i = b;
        }
    }

    // The last token of an organization's name ending at b, extended over
    // further suffixes ("Holdings Inc.", "Bank AG") and the period of an abbreviation.
    size_t org_suffixes_after(size_t b) const {
        while (true) {
            const std::string_view suffix = low(b);
            if (is_punct(b + 1, '.') &&
                (suffix == "inc" || suffix == "ltd" || suffix == "corp" || suffix == "co" || suffix == "bros")) {
                ++b;
            }
            size_t n = b + 1;
            if (is_punct(n, ',') && is_word(n + 1) && has(n + 1, lexicon::org_suffix_flag) && low(n + 1).size() <= 4) {
                ++n;
            }
            if (cap_word(n) && free(n) && has(n, lexicon::org_suffix_flag) && tok(n).space_before) {
                b = n;
                continue;
            }
            return b;
        }
    }

    // Known organizations: "Morgan Stanley", "Deutsche Bank"; a single word
    // that is also an everyday word needs to be mid-sentence.
    void organizations_by_dictionary() {
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            const size_t len = phrase_at(i, lexicon::org_name_flag, lexicon::org_start_flag);
            if (len == 0) {
                continue;
            }
            if (len == 1 && (has(i, lexicon::english_word_flag | lexicon::common_word_flag | lexicon::place_flag) ||
                             (sentence_start(i) && !tok(i).all_caps))) {
                continue;
            }
            const size_t b = org_suffixes_after(i + len - 1);
            emit(entity_type::organization, i, b, 0.75f, finding_source::dictionary);
            i = b;
        }
    }

    // "Smith, Lopez and Brown", "Walker, Chen & Novak": three surnames
    // joined like a firm's name, none of them a given name that is not also
    // a surname.
    void organizations_by_structure() {
        const auto surname_like = [&](size_t k) {
            return name_word(k) && !tok(k).all_caps &&
                   (has(k, lexicon::surname_flag) || !has(k, lexicon::first_name_flag)) &&
                   !has(k, lexicon::place_flag) && !title_case_[k];
        };
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            if (!surname_like(i) || !is_punct(i + 1, ',') || !surname_like(i + 2)) {
                continue;
            }
            if (i > 0 && is_punct(i - 1, ':')) {
                continue;  // "our 3 founders: Kónya, Becker and Vasquez" lists persons
            }
            size_t k = i + 3;
            if (is_punct(k, ',')) {
                ++k;  // the serial comma
            }
            if (!(is_punct(k, '&') || (is_word(k) && low(k) == "and")) || !surname_like(k + 1)) {
                continue;
            }
            size_t known = 0;
            for (size_t w : {i, i + 2, k + 1}) {
                known += has(w, lexicon::surname_flag) ? 1 : 0;
            }
            if (known == 0) {
                continue;
            }
            size_t b = k + 1;
            if (cap_word(b + 1) && free(b + 1) && has(b + 1, lexicon::org_suffix_flag) && tok(b + 1).space_before) {
                ++b;  // "... and Hall Orchestra", "... and Garcia LLC"
            }
            emit(entity_type::organization, i, b, 0.6f, finding_source::dictionary);
            i = b;
        }
    }

    void organizations_by_context() {
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            if (!name_word(i)) {
                continue;
            }
            const size_t p = i > 0 && is_word(i - 1) ? i - 1 : std::string_view::npos;
            if (p == std::string_view::npos) {
                continue;
            }
            const std::string_view pw = low(p);
            const size_t pp = p > 0 && is_word(p - 1) ? p - 1 : std::string_view::npos;
            const std::string_view ppw = pp == std::string_view::npos ? std::string_view{} : low(pp);
            const bool cue = ((pw == "at" || pw == "for" || pw == "by") && in(ppw, work_verbs)) ||
                             pw == "joined" || (pw == "of" && in(ppw, org_roles));
            if (!cue) {
                continue;
            }
            size_t b = i;
            while (b + 1 < size() && b - i < 3 && name_word(b + 1) && tok(b + 1).space_before) {
                ++b;
            }
            emit(entity_type::organization, i, b, 0.6f, finding_source::context);
            i = b;
        }
    }

    // ---- persons ----

    bool title_before(size_t i) const {
        if (i == 0) {
            return false;
        }
        size_t p = i - 1;
        if (is_punct(p, '.') && p > 0) {
            --p;
        }
        return is_word(p) && has(p, lexicon::title_word_flag) && (tok(p).capitalized || is_punct(p + 1, '.'));
    }

    // "Leif, can I ...", "Remember me, Chelsea?": a name addressed directly.
    bool vocative(size_t first, size_t last) const {
        if (sentence_start(first) && is_punct(last + 1, ',') && is_word(last + 2) && !tok(last + 2).capitalized) {
            return in(low(last + 2), vocative_followers);
        }
        if (sentence_start(first) && is_punct(last + 1, ',') && is_word(last + 2) && low(last + 2) == "i") {
            return true;
        }
        return first > 0 && is_punct(first - 1, ',') && (is_punct(last + 1, '?') || is_punct(last + 1, '!'));
    }

    bool cue_before(size_t i) const {
        const size_t p = previous_word(i);
        if (p == std::string_view::npos) {
            return false;
        }
        const std::string_view w = low(p);
        if (in(w, person_cues)) {
            return !(w == "by" && !tok(i).capitalized);
        }
        const size_t pp = p > 0 && is_word(p - 1) ? p - 1 : std::string_view::npos;
        const std::string_view w2 = pp == std::string_view::npos ? std::string_view{} : low(pp);
        if (w == "name" && p + 1 < i) {
            return true;  // "Name: X", "name? X"
        }
        if ((w == "him" || w == "her" || w == "them" || w == "me" || w == "us" || w == "you") && in(w2, naming_verbs)) {
            return true;  // "she named him Luís", "we call her Mimi"
        }
        if (w == "at" && in(w2, looking_verbs)) {
            return true;  // "Johanna shouted at Tiffany"
        }
        return (w == "is" && (w2 == "name" || w2 == "this")) || (w == "am" && w2 == "i") ||
               (w == "you" && w2 == "thank") || (w == "to" && w2 == "according") || (w == "me" && w2 == "call");
    }

    // "Anna van der Berg" alone on the first line of a text: the header of a
    // letter, a CV or a contact card.
    bool header_line(size_t first, size_t last) const {
        if (last == first || !(last + 1 >= size() || is_newline(last + 1))) {
            return false;
        }
        for (size_t k = 0; k < first; ++k) {
            if (!(is_punct(k, '>') || is_newline(k))) {
                return false;
            }
        }
        // a heading ("Quarterly Results") is made of everyday words and word forms
        bool everyday_only = true;
        for (size_t k = first; k <= last; ++k) {
            if (is_word(k) && (word_form(low(k)) || has(k, lexicon::common_noun_flag))) {
                return false;
            }
            everyday_only = everyday_only && (!is_word(k) || has(k, lexicon::english_word_flag));
        }
        return !everyday_only;
    }

    bool cue_after(size_t last) const {
        size_t k = last + 1;
        if (is_punct(k, ',')) {
            ++k;
        }
        if (is_word(k) && low(k) == "and" && is_word(k + 1) && (low(k + 1) == "i" || low(k + 1) == "me")) {
            return true;  // "Maria and I"
        }
        if (is_word(k) && low(k) == "and" && name_word(k + 1) && !has(k + 1, lexicon::english_word_flag)) {
            const size_t b = extend_name(k + 1);
            if (is_word(b + 1) && in(low(b + 1), plural_person_verbs)) {
                return true;  // "Torpy and Salinas were precision engineers"
            }
        }
        return is_word(k) && in(low(k), person_post_cues);
    }

    // "Anna: You saved my life!": a name alone at the start of a line, before a colon.
    bool speaker_label(size_t first, size_t last) const {
        const bool line_start = first == 0 || is_newline(first - 1) || (is_punct(first - 1, '>') && (first < 2 || is_newline(first - 2)));
        if (!line_start || !is_punct(last + 1, ':') || has(first, lexicon::common_noun_flag) || !tok(first).capitalized ||
            (tok(first).all_caps && tok(first).end - tok(first).start < 3)) {
            return false;
        }
        // "SQL:", "RUN:", "TODO:": a word in capitals before a colon is a label unless it is a known name
        if (first == last && tok(first).all_caps && !has(first, lexicon::first_name_flag | lexicon::surname_flag)) {
            return false;
        }
        // followed by speech on the same line, not by a field value (a number, a code)
        const size_t k = last + 2;
        if (k >= size() || is_newline(k) || !(is_word(k) || is_punct(k, '"'))) {
            return false;
        }
        if (is_word(k)) {
            for (uint32_t p = tok(k).start; p < tok(k).end; ++p) {
                if (is_digit(text_[p])) {
                    return false;
                }
            }
        }
        return true;
    }

    void persons_by_context() {
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            if (!name_word(i)) {
                continue;
            }
            const bool title = title_before(i);
            const bool cue = title || cue_before(i);
            size_t b = extend_name(i);
            if (!cue && !cue_after(b) && !speaker_label(i, b) && !vocative(i, b) && !header_line(i, b)) {
                continue;
            }
            if (!title && options_.dictionaries && place_at(i) == b - i + 1) {
                continue;  // "El Salvador: ..." names a place
            }
            if (lowercase_text_ && !plausible_lowercase_name(i, b)) {
                continue;
            }
            emit(entity_type::person, i, b, title ? 0.85f : 0.7f, finding_source::context);
            i = b;
        }
    }

    // In a text without capitals every word can start a name: a cue alone
    // ("call me back", "my father retired") needs words that are not
    // everyday words or word forms.
    bool plausible_lowercase_name(size_t a, size_t b) const {
        for (size_t k = a; k <= b; ++k) {
            if (!is_word(k) || tok(k).end - tok(k).start == 1) {
                continue;
            }
            if (has(k, lexicon::english_word_flag | lexicon::function_word_flag) || word_form(low(k))) {
                return false;
            }
        }
        return true;
    }

    void persons_by_dictionary() {
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            if (!name_word(i)) {
                continue;
            }
            if (tok(i).all_caps) {
                continue;  // "PORT OF SPAIN", "DOVER": capital lines are places and headings more often than names
            }
            if (has(i, lexicon::first_name_flag)) {
                const size_t b = extend_name(i);
                if (b == i && has(i, lexicon::place_flag)) {
                    continue;
                }
                // "Grace period", "Mark the box": an everyday word alone at the start of a sentence
                if (b == i && has(i, lexicon::english_word_flag) && (sentence_start(i) || lowercase_text_)) {
                    continue;
                }
                emit(entity_type::person, i, b, b > i ? 0.8f : 0.6f, finding_source::dictionary);
                i = b;
                continue;
            }
            // a known surname alone, mid-sentence, that is not also an everyday word
            if (has(i, lexicon::surname_flag) && !sentence_start(i) && !has(i, lexicon::place_flag) && !has(i, lexicon::english_word_flag) &&
                !title_case_[i]) {
                const size_t b = extend_name(i);
                emit(entity_type::person, i, b, 0.55f, finding_source::dictionary);
                i = b;
                continue;
            }
            // an unknown given name before a known surname
            if (name_word(i + 1) && tok(i + 1).space_before && has(i + 1, lexicon::surname_flag) && !has(i, lexicon::place_flag) &&
                !has(i + 1, lexicon::english_word_flag) && !title_case_[i]) {
                const size_t b = extend_name(i);
                emit(entity_type::person, i, b, 0.7f, finding_source::dictionary);
                i = b;
            }
        }
    }

    // ---- places ----

    // Length in tokens of the longest place name starting at i (up to three words), or 0.
    size_t place_at(size_t i) const { return phrase_at(i, lexicon::place_flag, lexicon::place_start_flag); }

    // Length in tokens of the longest known phrase (up to four capitalized
    // words) starting at i whose lookup holds `flag`, or 0; `start_flag`
    // marks the first words of multi-word phrases.
    size_t phrase_at(size_t i, uint32_t flag, uint32_t start_flag) const {
        if (!is_word(i) || !(tok(i).capitalized) || !free(i) || !has(i, flag | start_flag)) {
            return 0;
        }
        // the multi-word key, built in place ("new york"), zero-padded for the lookup
        constexpr size_t key_capacity = 96;
        char key[key_capacity + word_table::padding] = {};
        size_t key_size = 0;
        size_t best = 0;
        for (size_t len = 1; len <= 4 && i + len - 1 < size(); ++len) {
            const size_t k = i + len - 1;
            if (!is_word(k) || !free(k) || (len > 1 && !tok(k).space_before)) {
                break;
            }
            const size_t word_size = stem(k).size();
            if (key_size + word_size + 1 > key_capacity) {
                break;
            }
            if (len > 1) {
                key[key_size++] = ' ';
            }
            std::memcpy(key + key_size, words_.lower_data(tok(k)), word_size);
            key_size += word_size;
            const uint32_t flags = len == 1 ? flags_[k] : lexicon::word_flags_padded(key, key_size);
            if ((flags & flag) != 0 && tok(k).capitalized) {
                best = len;
            }
            if ((flags_[k] & possessive_bit) != 0) {
                break;  // "Reed Elsevier's": the possessive ends the name
            }
        }
        return best;
    }

    void places_by_dictionary() {
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            const size_t len = place_at(i);
            if (len == 0) {
                continue;
            }
            const std::string_view w = low(i);
            if (len == 1 && tok(i).end - tok(i).start == 2 && !tok(i).all_caps) {
                continue;
            }
            if (len == 1 && (w == "us" || w == "uk") && !tok(i).all_caps) {
                continue;
            }
            emit(entity_type::location, i, i + len - 1, 0.8f, finding_source::dictionary);
            i += len - 1;
        }
    }

    void places_by_context() {
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            if (!name_word(i)) {
                continue;
            }
            const size_t p = i > 0 && is_word(i - 1) ? i - 1 : std::string_view::npos;
            if (p == std::string_view::npos) {
                continue;
            }
            const std::string_view pw = low(p);
            const size_t pp = p > 0 && is_word(p - 1) ? p - 1 : std::string_view::npos;
            const std::string_view ppw = pp == std::string_view::npos ? std::string_view{} : low(pp);
            const bool preposition = pw == "in" || pw == "from" || pw == "to" || pw == "at" || pw == "near" ||
                                     pw == "around" || pw == "outside";
            bool cue = (preposition && in(ppw, place_verbs)) || pw == "visit" || pw == "visiting" || pw == "visited" ||
                       (pw == "of" && in(ppw, place_nouns));
            // "Springfield, Illinois": a name before a comma and a known place
            if (!cue && options_.dictionaries && is_punct(i + 1, ',') && place_at(i + 2) > 0) {
                cue = true;
            }
            if (!cue) {
                continue;
            }
            size_t b = i;
            while (b + 1 < size() && b - i < 2 && name_word(b + 1) && tok(b + 1).space_before) {
                ++b;
            }
            emit(entity_type::location, i, b, 0.6f, finding_source::context);
            i = b;
        }
    }

    // ---- capitalization structure ----

    static bool ends_with(std::string_view w, std::string_view suffix) {
        return w.size() > suffix.size() + 2 && w.substr(w.size() - suffix.size()) == suffix;
    }

    // Word forms of verbs, adverbs and abstract nouns, rare in names.
    static bool word_form(std::string_view w) {
        return ends_with(w, "ly") || ends_with(w, "ed") || ends_with(w, "ing") || ends_with(w, "tion") ||
               ends_with(w, "ment") || ends_with(w, "ness") || ends_with(w, "ity") || ends_with(w, "ism") ||
               ends_with(w, "ies") || ends_with(w, "ful") || ends_with(w, "less") || ends_with(w, "ous") ||
               ends_with(w, "ive") || ends_with(w, "able") || ends_with(w, "ship") || ends_with(w, "ians") ||
               ends_with(w, "ists");
    }

    void by_shape() {
        if (lowercase_text_) {
            return;
        }
        for (size_t i = next_cap_[0]; i < size(); i = next_cap_[i + 1]) {
            if (!name_word(i) || tok(i).all_caps || title_case_[i] || word_form(low(i))) {
                continue;
            }
            const std::string_view w = low(i);
            if (w.find('-') != std::string_view::npos && w.front() != '-' && w.back() != '-') {
                // "Fischer-Lopez": a double-barrelled company or surname pair
                const size_t dash = text_.substr(tok(i).start, tok(i).end - tok(i).start).find('-');
                const size_t after = tok(i).start + dash + 1;
                if (after < tok(i).end && is_ascii_upper(text_[after]) && i + 1 < size() && !name_word(i + 1) &&
                    !(i > 0 && name_word(i - 1))) {
                    emit(entity_type::organization, i, i, 0.35f, finding_source::shape);
                    continue;
                }
            }
            const size_t b = extend_name(i);
            bool everyday = false;
            for (size_t k = i; k <= b; ++k) {
                everyday = everyday || (is_word(k) && (has(k, lexicon::common_noun_flag) || word_form(low(k))));
            }
            if (everyday) {
                i = b;
                continue;
            }
            const bool start = sentence_start(i);
            if (b == i && (start || !options_.shape_single_words)) {
                continue;
            }
            if (i > 0 && is_punct(i - 1, '\'')) {
                continue;
            }
            emit(entity_type::person, i, b, start ? 0.3f : 0.35f, finding_source::shape);
            i = b;
        }
    }
};

}  // namespace

void detect_names(std::string_view text, const recognizer_options & options, std::vector<finding> & out) {
    if (text.size() <= word_tokens::max_text) {
        name_recognizer recognizer(text, options, out);
        recognizer.run();
        recognizer.release_large_buffers();
        return;
    }
    detect_names_in_pieces(text, options, out, word_tokens::max_text);
}

void detect_names_in_pieces(std::string_view text, const recognizer_options & options, std::vector<finding> & out,
                            size_t piece_size) {
    piece_size = piece_size == 0 || piece_size > word_tokens::max_text ? word_tokens::max_text : piece_size;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.size() - start <= piece_size ? text.size() : start + piece_size;
        if (end < text.size()) {
            // cut after a line break, or a space, in the second half of the piece
            const std::string_view piece = text.substr(start, end - start);
            size_t cut = piece.rfind('\n');
            if (cut == std::string_view::npos || cut < piece.size() / 2) {
                cut = piece.rfind(' ');
            }
            if (cut != std::string_view::npos && cut >= piece.size() / 2) {
                end = start + cut + 1;
            }
        }
        std::vector<finding> part;
        name_recognizer recognizer(text.substr(start, end - start), options, part);
        recognizer.run();
        recognizer.release_large_buffers();
        for (finding f : part) {
            f.start += start;
            f.end += start;
            out.push_back(f);
        }
        start = end;
    }
}

}  // namespace tiergate::guard
