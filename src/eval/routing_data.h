#pragma once
// Routing data: prompts with the quality (0..1) of each model's answer and,
// where the data has it, the dollar cost of each call. Loaders for the
// RouteLLM format (prompt + one True/False column per model) and the
// RouterBench format (prompt as a Python list literal, a 0..1 score column
// per model, `<model>|model_response`, `<model>|total_cost`).

#include "core/error.h"
#include "eval/csv_reader.h"

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

namespace tiergate::eval {

inline constexpr float missing_value = std::numeric_limits<float>::quiet_NaN();

struct routing_sample {
    std::string prompt;
    std::vector<float> quality;  // per dataset model; NaN = unknown
    std::vector<float> cost;     // per dataset model, USD; NaN = not in the data
    // Per dataset model, the answer text where the data has it (RouterBench's
    // `<model>|model_response`); empty when it has none.
    std::vector<std::string> answers;
    uint32_t source = 0;         // index of the file (table) the prompt came from
};

struct routing_dataset {
    std::vector<std::string> models;
    std::vector<routing_sample> samples;
    size_t files = 0;
    size_t dropped_contaminated = 0;

    size_t model_index(std::string_view name) const;  // npos if absent
};

enum class data_format { routellm, routerbench };

// The file names RouteLLM uses for prompts to drop; a file of this name next
// to a CSV or in its parent folder is applied to it.
inline constexpr const char * contaminated_file_name = "mmlu_contaminated_prompts.jsonl";

// Prompts listed ("eval_prompt", or "prompt") in a JSONL file.
result<std::unordered_set<std::string>> load_contaminated_prompts(const std::string & path);

// Which format a header is; an error when it has no prompt column.
result<data_format> detect_format(const csv_table & table);

// Adds the rows of one parsed table to dataset (models are merged by name).
result<size_t> append_table(routing_dataset & dataset, const csv_table & table, const std::string & source,
                            const std::unordered_set<std::string> & contaminated);

// Loads files and folders (every .csv below a folder, sorted); .jsonl paths
// are lists of prompts to drop. Errors name the file.
result<routing_dataset> load_routing_data(std::span<const std::string> paths);

}  // namespace tiergate::eval
