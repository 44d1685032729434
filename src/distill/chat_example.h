#pragma once
// One example of a fine-tuning data set in OpenAI's chat format:
//   {"messages": [{"role": "system"|"user"|"assistant", "content": "..."}, ...]}
// The last message is the assistant's answer the model learns; the ones
// before it are the prompt. read_examples() names the file and line of
// anything that is not that shape.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::distill {

struct chat_example {
    std::vector<chat_message> prompt;  // system, user and earlier assistant turns
    std::string answer;                // the final assistant message
};

// One line; `where` ("data.jsonl:12") prefixes every error.
result<chat_example> parse_example(std::string_view line, const std::string & where);
// Every non-blank line of a JSONL file. An empty file (no examples) is an error.
result<std::vector<chat_example>> read_examples(const std::filesystem::path & file);
// The line for an example (no newline).
std::string example_line(const chat_example & example);
// A stable 64-bit hash of the prompt (roles and contents): the dedup and split key.
uint64_t prompt_hash(const std::vector<chat_message> & prompt);

}  // namespace tiergate::distill
