#pragma once
// Deterministic train / validation / test split by a hash of the prompt text:
// 60% / 20% / 20%. The same prompt always lands in the same part, whatever
// file or order it comes in.

#include "core/error.h"
#include "eval/routing_data.h"

#include <string_view>

namespace tiergate::eval {

enum class data_split { train, validation, test, all };

const char * to_string(data_split split);
result<data_split> parse_split(std::string_view text);

data_split split_of(std::string_view prompt);

// The samples of one part (all of them for data_split::all).
routing_dataset select_split(const routing_dataset & dataset, data_split split);

}  // namespace tiergate::eval
