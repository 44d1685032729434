#pragma once
// Calibration of a trained intent model on held-out rows: the softmax
// temperature that minimizes the negative log-likelihood, then the
// out-of-scope threshold on the calibrated top in-scope probability that
// maximizes in-scope accuracy + OOS recall while in-scope accuracy stays
// within max_accuracy_drop of its value without a threshold.

#include "core/error.h"
#include "eval/intent_data.h"
#include "router/intent_model.h"

#include <span>

namespace tiergate::eval {

struct intent_calibration_options {
    double max_accuracy_drop = 0.02;  // absolute, 0..1
    size_t max_candidates = 2000;     // thresholds tried (quantiles of the scores)
};

struct intent_calibration {
    double temperature = 1.0;
    double oos_threshold = 0.0;
    size_t in_scope_rows = 0;
    size_t oos_rows = 0;
    // on the calibration rows, without the threshold and with it
    double in_scope_accuracy_before = 0;
    double oos_recall_before = 0;
    double in_scope_accuracy = 0;
    double oos_recall = 0;
};

// rows: in-scope rows (intents the model knows) and "oos" rows; an intent the
// model does not know is an error.
result<intent_calibration> calibrate_intents(const router::intent_model & model,
                                             std::span<const labelled_utterance> rows,
                                             const intent_calibration_options & options = {});

}  // namespace tiergate::eval
