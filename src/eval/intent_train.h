#pragma once
// Training an intent classifier from intent data (eval/intent_data.h):
// softmax regression on train + oos_train, then the temperature and the
// out-of-scope threshold calibrated on held-out rows:
//   val:     on val + oos_val (only honest when a separate test split exists);
//   holdout: on a deterministic stratified slice of train + oos_train; the
//            model fitted without the slice is calibrated, then the final
//            model is fitted on all of train + oos_train with the same
//            settings and takes over the calibrated temperature and threshold.
// automatic picks val when the data has a test split, else holdout.

#include "core/error.h"
#include "eval/intent_calibrate.h"
#include "eval/intent_data.h"
#include "eval/intent_domains.h"
#include "router/intent_model.h"
#include "router/intent_training.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace tiergate::eval {

enum class calibration_source { automatic, val, holdout };

const char * to_string(calibration_source source);
result<calibration_source> parse_calibration_source(std::string_view text);

struct intent_train_options {
    router::intent_training_config training;
    calibration_source calibration = calibration_source::automatic;
    double holdout_fraction = 0.2;
    intent_calibration_options calibrate;
};

struct intent_train_summary {
    std::string calibration;  // "val" or "holdout"
    size_t intents = 0;       // classes, "oos" included
    size_t domains = 0;
    size_t train_rows = 0;    // in-scope rows the final model was fitted on
    size_t oos_train_rows = 0;
    size_t intents_without_domain = 0;
    intent_calibration calibrated;
    double seconds = 0;  // the whole training, calibration included
};

result<router::intent_model> train_intent_model(const intent_dataset & data, const intent_domain_map & domains,
                                                const intent_train_options & options,
                                                intent_train_summary * summary = nullptr);

nlohmann::json summary_to_json(const intent_train_summary & summary);

}  // namespace tiergate::eval
