#pragma once
// Intent data in the CLINC150 data_full.json layout: a JSON object of splits
// ("train", "val", "test", "oos_train", "oos_val", "oos_test", ...), each a
// list of [text, intent] pairs; out-of-scope utterances are labelled "oos".

#include "core/error.h"

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::eval {

struct labelled_utterance {
    std::string text;
    std::string intent;
};

struct intent_dataset {
    std::map<std::string, std::vector<labelled_utterance>> splits;

    bool has(const std::string & split) const { return splits.count(split) > 0; }
    // The rows of a split; empty when the split is absent.
    const std::vector<labelled_utterance> & rows(const std::string & split) const;
    // The rows of several splits, in the order given (absent ones skipped).
    std::vector<labelled_utterance> rows(std::initializer_list<const char *> names) const;
};

// Limits of the reader (a larger file is not a data set but a mistake).
inline constexpr size_t max_intent_data_bytes = size_t{1} << 30;
inline constexpr size_t max_intent_label_bytes = 256;

// Errors name the split and row: a non-object document, a split that is not
// a list, a row that is not [string, string], an empty or over-long label,
// invalid UTF-8 (rejected by the JSON parser).
result<intent_dataset> parse_intent_data(std::string_view json_text);
result<intent_dataset> load_intent_data(const std::string & path);

// Reads a whole file, at most max_bytes; for the readers of intent inputs.
result<std::string> read_text_file(const std::string & path, size_t max_bytes, const std::string & param);

}  // namespace tiergate::eval
