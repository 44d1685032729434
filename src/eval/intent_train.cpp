#include "eval/intent_train.h"

#include "eval/intent_holdout.h"

#include <chrono>
#include <map>
#include <set>

namespace tiergate::eval {
namespace {

struct class_list {
    std::vector<std::string> intents;
    std::vector<std::string> domains;
    std::map<std::string, uint32_t> index;
};

result<std::vector<router::intent_example>> to_examples(std::span<const labelled_utterance> rows,
                                                        const class_list & classes) {
    std::vector<router::intent_example> out;
    out.reserve(rows.size());
    for (const labelled_utterance & row : rows) {
        const auto found = classes.index.find(row.intent);
        if (found == classes.index.end()) {
            return error::invalid("intent '" + row.intent + "' is not a training class", "data");
        }
        out.push_back({row.text, found->second});
    }
    return out;
}

}  // namespace

const char * to_string(calibration_source source) {
    switch (source) {
        case calibration_source::automatic: return "auto";
        case calibration_source::val: return "val";
        case calibration_source::holdout: return "holdout";
    }
    return "auto";
}

result<calibration_source> parse_calibration_source(std::string_view text) {
    if (text == "auto" || text.empty()) {
        return calibration_source::automatic;
    }
    if (text == "val") {
        return calibration_source::val;
    }
    if (text == "holdout") {
        return calibration_source::holdout;
    }
    return error::invalid("unknown calibration '" + std::string(text) + "': use val, holdout or auto", "calibration");
}

result<router::intent_model> train_intent_model(const intent_dataset & data, const intent_domain_map & domains,
                                                const intent_train_options & options,
                                                intent_train_summary * summary) {
    const auto started = std::chrono::steady_clock::now();
    // train + oos_train ("oos" rows of train count as out of scope too)
    const std::vector<labelled_utterance> rows = data.rows({"train", "oos_train"});
    std::set<std::string> names;
    size_t oos_rows = 0;
    for (const labelled_utterance & row : rows) {
        if (row.intent == router::oos_intent) {
            ++oos_rows;
        } else {
            names.insert(row.intent);
        }
    }
    if (names.size() < 2) {
        return error::invalid("the train split needs at least 2 in-scope intents (found " +
                                  std::to_string(names.size()) + ")",
                              "data");
    }
    if (names.size() > router::max_intent_count - 1) {
        return error::invalid("the train split has " + std::to_string(names.size()) + " intents, the limit is " +
                                  std::to_string(router::max_intent_count - 1),
                              "data");
    }
    for (const auto & [intent, domain] : domains) {
        if (names.count(intent) == 0) {
            return error::invalid("the domain map names intent '" + intent + "' (domain '" + domain +
                                      "') that is not in the training data",
                                  "domains");
        }
    }
    class_list classes;
    std::set<std::string> domain_names;
    size_t without_domain = 0;
    for (const std::string & name : names) {
        classes.index.emplace(name, static_cast<uint32_t>(classes.intents.size()));
        classes.intents.push_back(name);
        const auto found = domains.find(name);
        classes.domains.push_back(found == domains.end() ? std::string{} : found->second);
        if (found == domains.end()) {
            ++without_domain;
        } else {
            domain_names.insert(found->second);
        }
    }
    if (oos_rows > 0) {
        classes.index.emplace(router::oos_intent, static_cast<uint32_t>(classes.intents.size()));
        classes.intents.push_back(router::oos_intent);
        classes.domains.emplace_back();
    }

    calibration_source source = options.calibration;
    if (source == calibration_source::automatic) {
        source = data.has("test") && !data.rows("val").empty() ? calibration_source::val : calibration_source::holdout;
    }

    auto all = to_examples(rows, classes);
    if (!all) {
        return all.err();
    }
    std::vector<labelled_utterance> calibration_rows;
    router::intent_model model;
    if (source == calibration_source::val) {
        calibration_rows = data.rows({"val", "oos_val"});
        if (calibration_rows.empty()) {
            return error::invalid("--calibration val needs a non-empty val (or oos_val) split", "calibration");
        }
        auto trained = router::train_intents(*all, classes.intents, classes.domains, options.training);
        if (!trained) {
            return trained.err();
        }
        model = std::move(*trained);
    } else {
        const intent_holdout split = stratified_holdout(rows, options.holdout_fraction, options.training.seed);
        if (split.held.empty()) {
            return error::invalid("the holdout slice is empty: use a holdout fraction > 0 and more rows", "calibration");
        }
        std::vector<router::intent_example> fit;
        for (size_t i : split.fit) {
            fit.push_back((*all)[i]);
        }
        for (size_t i : split.held) {
            calibration_rows.push_back(rows[i]);
        }
        auto trained = router::train_intents(fit, classes.intents, classes.domains, options.training);
        if (!trained) {
            return trained.err();
        }
        model = std::move(*trained);
    }
    auto calibrated = calibrate_intents(model, calibration_rows, options.calibrate);
    if (!calibrated) {
        return calibrated.err();
    }
    if (source == calibration_source::holdout) {
        auto trained = router::train_intents(*all, classes.intents, classes.domains, options.training);
        if (!trained) {
            return trained.err();
        }
        model = std::move(*trained);
    }
    model.temperature = calibrated->temperature;
    model.oos_threshold = calibrated->oos_threshold;
    const size_t in_scope_rows = rows.size() - oos_rows;
    model.trained_on = std::to_string(in_scope_rows) + " in-scope rows (" + std::to_string(names.size()) +
                       " intents) + " + std::to_string(oos_rows) + " oos rows; calibrated on " + to_string(source) +
                       " (" + std::to_string(calibrated->in_scope_rows) + " in-scope + " +
                       std::to_string(calibrated->oos_rows) + " oos rows); epochs " +
                       std::to_string(options.training.epochs) + ", seed " + std::to_string(options.training.seed);
    if (std::string problem = model.check(); !problem.empty()) {
        return error::invalid("trained model is inconsistent: " + problem, "training");
    }
    if (summary != nullptr) {
        summary->calibration = to_string(source);
        summary->intents = model.intent_count();
        summary->domains = domain_names.size();
        summary->train_rows = in_scope_rows;
        summary->oos_train_rows = oos_rows;
        summary->intents_without_domain = without_domain;
        summary->calibrated = *calibrated;
        summary->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    return model;
}

nlohmann::json summary_to_json(const intent_train_summary & s) {
    return {{"calibration", s.calibration},
            {"intents", s.intents},
            {"domains", s.domains},
            {"train_rows", s.train_rows},
            {"oos_train_rows", s.oos_train_rows},
            {"intents_without_domain", s.intents_without_domain},
            {"temperature", s.calibrated.temperature},
            {"oos_threshold", s.calibrated.oos_threshold},
            {"calibration_rows", {{"in_scope", s.calibrated.in_scope_rows}, {"oos", s.calibrated.oos_rows}}},
            {"calibration_in_scope_accuracy", s.calibrated.in_scope_accuracy},
            {"calibration_oos_recall", s.calibrated.oos_recall},
            {"calibration_in_scope_accuracy_without_threshold", s.calibrated.in_scope_accuracy_before},
            {"calibration_oos_recall_without_threshold", s.calibrated.oos_recall_before},
            {"training_seconds", s.seconds}};
}

}  // namespace tiergate::eval
