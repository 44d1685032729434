#pragma once
// The final answer inside a model's reply, for comparing two replies to the
// same prompt: the option letter of a multiple-choice prompt, the first
// function a code answer defines, or the last number of any other answer.
// Extraction reads the prompt's options once (prompt_options) and each
// answer once; it allocates only for the returned value.

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::router {

enum class answer_kind : uint8_t { none, option, number, code };
const char * to_string(answer_kind kind);

struct final_answer {
    answer_kind kind = answer_kind::none;
    std::string value;  // "B", "42", "find_intersection"; may be empty for code

    bool found() const { return kind != answer_kind::none; }
    // Two answers agree when both have a value of the same kind and the values are equal.
    bool agrees_with(const final_answer & other) const {
        return kind != answer_kind::none && kind == other.kind && !value.empty() && value == other.value;
    }
};

// The options of the last multiple-choice question in a prompt: lines of the
// form "A) text", "B. text" or "(C) text", a run starting at A.
struct prompt_options {
    struct option {
        char letter = 'A';
        std::string_view text;  // a view into the prompt
    };
    std::vector<option> options;
    // The words of the prompt's last 8 KiB as a set of hashes, for an
    // answer's overlap with the prompt.
    std::bitset<8192> words;

    static prompt_options read(std::string_view prompt);
    bool empty() const { return options.empty(); }
    bool has(char letter) const;
};

final_answer extract_final_answer(const prompt_options & options, std::string_view answer);

// Cues of an answer, for the scorer.
struct answer_cues {
    bool refusal = false;        // "I cannot", "I'm sorry", "as an AI", ...
    int hedges = 0;              // "I think", "not sure", "might", "possibly", ... (capped at 8)
    bool code_block = false;     // a fenced block or a function definition
    bool code_balanced = false;  // brackets of the code balance and it defines something
    std::string_view code_language;  // the fence's tag, lower case letters only ("python"); empty when none
    int options_mentioned = 0;   // distinct option letters named in the answer (multiple choice)
    size_t words = 0;
    double prompt_overlap = 0;   // share of the answer's words (3+ letters) that occur in the prompt
};

answer_cues read_cues(const prompt_options & options, std::string_view answer);

}  // namespace tiergate::router
