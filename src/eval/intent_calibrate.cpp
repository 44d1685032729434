#include "eval/intent_calibrate.h"

#include "router/intent_classifier.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace tiergate::eval {
namespace {

// Mean negative log-likelihood of the gold classes at a temperature.
double mean_nll(std::span<const float> logits, std::span<const size_t> gold, size_t k, double temperature) {
    double total = 0;
    size_t n = 0;
    const double inverse = 1.0 / temperature;
    for (size_t r = 0; r < gold.size(); ++r) {
        if (gold[r] >= k) {
            continue;
        }
        const float * z = logits.data() + r * k;
        const double top = *std::max_element(z, z + k) * inverse;
        double sum = 0;
        for (size_t c = 0; c < k; ++c) {
            sum += std::exp(z[c] * inverse - top);
        }
        total += top + std::log(sum) - z[gold[r]] * inverse;
        ++n;
    }
    return n > 0 ? total / static_cast<double>(n) : 0.0;
}

double fit_temperature(std::span<const float> logits, std::span<const size_t> gold, size_t k) {
    // golden-section search on log(temperature) in [log 0.05, log 20]
    double lo = std::log(0.05);
    double hi = std::log(20.0);
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = hi - ratio * (hi - lo);
    double b = lo + ratio * (hi - lo);
    double fa = mean_nll(logits, gold, k, std::exp(a));
    double fb = mean_nll(logits, gold, k, std::exp(b));
    for (int i = 0; i < 60; ++i) {
        if (fa <= fb) {
            hi = b;
            b = a;
            fb = fa;
            a = hi - ratio * (hi - lo);
            fa = mean_nll(logits, gold, k, std::exp(a));
        } else {
            lo = a;
            a = b;
            fa = fb;
            b = lo + ratio * (hi - lo);
            fb = mean_nll(logits, gold, k, std::exp(b));
        }
    }
    return std::exp((lo + hi) / 2.0);
}

}  // namespace

result<intent_calibration> calibrate_intents(const router::intent_model & model,
                                             std::span<const labelled_utterance> rows,
                                             const intent_calibration_options & options) {
    if (!(options.max_accuracy_drop >= 0 && options.max_accuracy_drop <= 1)) {
        return error::invalid("max_accuracy_drop must be in 0..1", "calibration");
    }
    if (std::string problem = model.check(); !problem.empty()) {
        return error::invalid(problem, "router");
    }
    router::intent_model raw = model;
    raw.temperature = 1.0;
    raw.oos_threshold = 0.0;
    const router::intent_classifier classifier(std::move(raw));
    const size_t k = model.intent_count();
    const size_t oos = model.oos_index();
    std::unordered_map<std::string_view, size_t> index;
    for (size_t c = 0; c < k; ++c) {
        index.emplace(model.intents[c], c);
    }
    // gold: class index; k for "oos" rows when the model has no oos class
    std::vector<size_t> gold(rows.size());
    std::vector<bool> is_oos(rows.size());
    std::vector<float> logits(rows.size() * k);
    intent_calibration out;
    for (size_t r = 0; r < rows.size(); ++r) {
        is_oos[r] = rows[r].intent == router::oos_intent;
        const auto found = index.find(rows[r].intent);
        if (found == index.end() && !is_oos[r]) {
            return error::invalid("calibration data has intent '" + rows[r].intent + "' that the model does not know",
                                  "data");
        }
        gold[r] = found == index.end() ? k : found->second;
        (is_oos[r] ? out.oos_rows : out.in_scope_rows) += 1;
        classifier.logits(rows[r].text, std::span<float>(logits.data() + r * k, k));
    }
    if (out.in_scope_rows == 0) {
        return error::invalid("no in-scope rows to calibrate on", "data");
    }
    out.temperature = fit_temperature(logits, gold, k);

    // per row: the calibrated probability of the best in-scope intent, and
    // whether the row passes without a threshold (oos does not win) and is right
    std::vector<float> best_p(rows.size());
    std::vector<bool> passes(rows.size());
    std::vector<bool> right(rows.size());
    const double inverse = 1.0 / out.temperature;
    for (size_t r = 0; r < rows.size(); ++r) {
        const float * z = logits.data() + r * k;
        const double top = *std::max_element(z, z + k) * inverse;
        double sum = 0;
        size_t best = k;
        for (size_t c = 0; c < k; ++c) {
            sum += std::exp(z[c] * inverse - top);
            if (c != oos && (best == k || z[c] > z[best])) {
                best = c;
            }
        }
        best_p[r] = static_cast<float>(std::exp(z[best] * inverse - top) / sum);
        const bool oos_wins = oos < k && z[oos] > z[best];
        passes[r] = !oos_wins;
        right[r] = !is_oos[r] && passes[r] && best == gold[r];
    }
    auto measure = [&](double threshold, double & accuracy, double & recall) {
        size_t correct = 0;
        size_t caught = 0;
        for (size_t r = 0; r < rows.size(); ++r) {
            const bool accepted = passes[r] && best_p[r] >= threshold;
            if (is_oos[r]) {
                caught += accepted ? 0 : 1;
            } else {
                correct += (right[r] && accepted) ? 1 : 0;
            }
        }
        accuracy = static_cast<double>(correct) / static_cast<double>(out.in_scope_rows);
        recall = out.oos_rows > 0 ? static_cast<double>(caught) / static_cast<double>(out.oos_rows) : 0.0;
    };
    measure(0.0, out.in_scope_accuracy_before, out.oos_recall_before);
    out.in_scope_accuracy = out.in_scope_accuracy_before;
    out.oos_recall = out.oos_recall_before;
    if (out.oos_rows == 0) {
        return out;  // nothing to trade in-scope accuracy against
    }
    std::vector<float> candidates(best_p.begin(), best_p.end());
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    if (options.max_candidates > 1 && candidates.size() > options.max_candidates) {
        std::vector<float> thinned;
        for (size_t i = 0; i < options.max_candidates; ++i) {
            thinned.push_back(candidates[i * (candidates.size() - 1) / (options.max_candidates - 1)]);
        }
        candidates = std::move(thinned);
    }
    double best_objective = out.in_scope_accuracy + out.oos_recall;
    const double floor = out.in_scope_accuracy_before - options.max_accuracy_drop - 1e-12;
    for (float t : candidates) {
        double accuracy = 0;
        double recall = 0;
        measure(t, accuracy, recall);
        if (accuracy < floor) {
            break;  // accuracy only falls as the threshold rises
        }
        if (accuracy + recall > best_objective + 1e-12) {
            best_objective = accuracy + recall;
            out.oos_threshold = t;
            out.in_scope_accuracy = accuracy;
            out.oos_recall = recall;
        }
    }
    return out;
}

}  // namespace tiergate::eval
