#pragma once
// Deterministic train / validation / test split by a hash of the prompt text:
// 60% / 20% / 20%. The same prompt always lands in the same part, whatever
// file or order it comes in.

#include "core/error.h"
#include "eval/routing_data.h"

#include <cstdint>
#include <string_view>

namespace tiergate::eval {

enum class data_split { train, validation, test, all };

const char * to_string(data_split split);
result<data_split> parse_split(std::string_view text);

// seed 0 is the default split; another seed draws another split of the same
// proportions (for the spread of a result over splits).
data_split split_of(std::string_view prompt, uint64_t seed = 0);

// The samples of one part (all of them for data_split::all).
routing_dataset select_split(const routing_dataset & dataset, data_split split, uint64_t seed = 0);

}  // namespace tiergate::eval
