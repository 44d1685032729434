#pragma once
// PII evaluation on Presidio-format data: a JSON list of objects with
// `full_text` and `spans` (`entity_type`, `start_position`, `end_position`,
// character offsets). Reports span-level precision, recall and F1 per entity
// type under two matching rules:
//  - overlap (the headline numbers): a predicted span is correct when it
//    overlaps a gold span of the same type by at least one character; a gold
//    span is found when a predicted span of the same type overlaps it.
//    Precision = correct predictions / predictions, recall = found gold / gold.
//  - strict: a span counts only with the same type, start and end.
// Types are compared after mapping Presidio aliases (GPE -> LOCATION,
// DOMAIN_NAME -> URL). Scored types are those the guard detects and the data
// annotates; gold types the guard does not detect (TITLE, AGE, ...) and
// predictions of types the data does not annotate are listed, not scored.

#include "core/error.h"
#include "guard/recognizer_options.h"

#include <iosfwd>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::eval {

struct pii_span {
    std::string type;  // canonical guard type name, or the data's name when the guard has none
    size_t start = 0;  // byte offsets into the UTF-8 text
    size_t end = 0;
};

struct pii_sample {
    std::string text;
    std::vector<pii_span> spans;
};

// Byte offset of each code point index 0..n (n+1 entries; invalid UTF-8
// bytes count as one code point each).
std::vector<size_t> code_point_offsets(std::string_view text);

result<std::vector<pii_sample>> parse_pii_data(std::string_view json_text);
result<std::vector<pii_sample>> load_pii_data(const std::string & path);

struct span_metrics {
    size_t predicted = 0;          // predicted spans of the type
    size_t predicted_correct = 0;  // of which correct
    size_t gold = 0;               // gold spans of the type (the support)
    size_t gold_found = 0;         // of which found
    double precision() const;
    double recall() const;
    double f1() const;
};

struct pii_scores {
    std::map<std::string, span_metrics> per_type;
    span_metrics micro;
};

struct pii_report {
    size_t samples = 0;
    pii_scores overlap;
    pii_scores strict;
    std::map<std::string, size_t> unscored_gold;         // gold types the guard does not detect -> count
    std::map<std::string, size_t> unscored_predictions;  // predicted types the data does not annotate -> count
};

// Scores predictions against gold; scored_types limits the types counted
// (those the guard detects and the data annotates).
pii_report score_spans(const std::vector<std::vector<pii_span>> & gold,
                       const std::vector<std::vector<pii_span>> & predicted);

// Runs the guard's scanner over the samples and scores it.
pii_report evaluate_pii(const std::vector<pii_sample> & samples, const guard::recognizer_options & options);

std::string pii_report_json(const pii_report & report);
std::string pii_report_text(const pii_report & report);

// `tiergate eval pii`: loads data, evaluates, prints; returns the exit code.
// without: evidence kinds to switch off ("dictionaries", "context", "shape").
int run_eval_pii(const std::string & data_path, bool json, const std::vector<std::string> & without, std::ostream & out,
                 std::ostream & err);

}  // namespace tiergate::eval
