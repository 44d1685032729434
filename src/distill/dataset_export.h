#pragma once
// Turns captured teacher answers into a fine-tuning data set in OpenAI's chat
// format: one example per distinct prompt (the latest answer wins), split
// into train and validation by a hash of the prompt (the same prompt always
// lands on the same side, whatever else is captured), and, when asked, the
// cascade's contrast pairs (the SLM's discarded answer beside the teacher's).

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "distill/capture_store.h"

namespace tiergate::distill {

struct export_options {
    std::string task;     // empty: every task
    std::string teacher;  // only this model's answers; empty: any model not of the slm tier
    double validation_share = 0.1;
    std::filesystem::path out;             // train examples
    std::filesystem::path validation_out;  // empty: <out stem>.validation.jsonl
    std::filesystem::path contrast_out;    // empty: no contrast pairs
};

struct export_report {
    size_t captured = 0;     // teacher rows read
    size_t duplicates = 0;   // the same prompt again
    size_t unusable = 0;     // text completions, empty prompts
    size_t train = 0;
    size_t validation = 0;
    size_t contrast = 0;
    int64_t train_prompt_tokens = 0;
    int64_t train_answer_tokens = 0;
    int64_t validation_prompt_tokens = 0;
    int64_t validation_answer_tokens = 0;
    std::filesystem::path validation_out;
};

result<export_report> export_dataset(const capture_store & store, const export_options & options);

}  // namespace tiergate::distill
