#pragma once
// Evaluation of an intent classifier: on test + oos_test when the data has a
// test split, else on val + oos_val. In-scope accuracy (an "oos" decision on
// an in-scope row is wrong), OOS recall and precision, accuracy per domain
// (of the gold intent), and the time of one classify() call.

#include "core/error.h"
#include "eval/intent_data.h"
#include "router/intent_classifier.h"

#include <nlohmann/json.hpp>

#include <map>
#include <span>
#include <string>

namespace tiergate::eval {

// One evaluated row.
struct intent_outcome {
    std::string gold;          // gold intent, "oos" when out of scope
    std::string gold_domain;   // domain of the gold intent ("" for oos or none)
    std::string predicted;     // predicted intent, "oos" when out of scope
    double micros = 0;         // decision time
};

struct intent_report {
    std::string split;  // "test" or "val"
    size_t rows = 0;
    size_t in_scope_rows = 0;
    size_t oos_rows = 0;
    double in_scope_accuracy = 0;  // 0 when there are no in-scope rows
    double oos_recall = 0;         // 0 when there are no oos rows
    double oos_precision = 0;      // 0 when nothing was predicted oos
    double decision_p50_us = 0;    // nearest-rank percentiles
    double decision_p99_us = 0;
    std::map<std::string, double> per_domain;  // in-scope accuracy by gold domain ("" = no domain)
    std::map<std::string, size_t> per_domain_rows;
};

// The metrics of outcomes (split is copied into the report).
intent_report compute_intent_report(std::span<const intent_outcome> outcomes, const std::string & split);

// The split evaluated on: "test" when the data has one, else "val"; an error
// when neither has rows.
result<std::string> evaluation_split(const intent_dataset & data);

// Classifies every row of the evaluation split (and its oos_ part), timing
// each call after one untimed warm-up pass. A gold intent the classifier
// does not know is an error.
result<intent_report> evaluate_intents(const router::intent_classifier & classifier, const intent_dataset & data);

nlohmann::json report_to_json(const intent_report & report);

}  // namespace tiergate::eval
