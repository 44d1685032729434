#include "eval/intent_eval.h"

#include "router/intent_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

namespace tiergate::eval {
namespace {

double nearest_rank(std::vector<double> & sorted, double q) {
    if (sorted.empty()) {
        return 0;
    }
    const double rank = std::ceil(q * static_cast<double>(sorted.size()));
    const size_t at = static_cast<size_t>(std::clamp(rank, 1.0, static_cast<double>(sorted.size()))) - 1;
    return sorted[at];
}

double ratio(size_t a, size_t b) { return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0; }

}  // namespace

intent_report compute_intent_report(std::span<const intent_outcome> outcomes, const std::string & split) {
    intent_report report;
    report.split = split;
    report.rows = outcomes.size();
    size_t correct = 0;
    size_t caught = 0;
    size_t predicted_oos = 0;
    std::map<std::string, size_t> domain_correct;
    std::vector<double> times;
    times.reserve(outcomes.size());
    for (const intent_outcome & o : outcomes) {
        times.push_back(o.micros);
        const bool gold_oos = o.gold == router::oos_intent;
        const bool said_oos = o.predicted == router::oos_intent;
        predicted_oos += said_oos ? 1 : 0;
        if (gold_oos) {
            ++report.oos_rows;
            caught += said_oos ? 1 : 0;
            continue;
        }
        ++report.in_scope_rows;
        const bool right = !said_oos && o.predicted == o.gold;
        correct += right ? 1 : 0;
        report.per_domain_rows[o.gold_domain] += 1;
        domain_correct[o.gold_domain] += right ? 1 : 0;
    }
    report.in_scope_accuracy = ratio(correct, report.in_scope_rows);
    report.oos_recall = ratio(caught, report.oos_rows);
    report.oos_precision = ratio(caught, predicted_oos);
    for (const auto & [domain, n] : report.per_domain_rows) {
        report.per_domain[domain] = ratio(domain_correct[domain], n);
    }
    std::sort(times.begin(), times.end());
    report.decision_p50_us = nearest_rank(times, 0.50);
    report.decision_p99_us = nearest_rank(times, 0.99);
    return report;
}

result<std::string> evaluation_split(const intent_dataset & data) {
    if (!data.rows("test").empty() || !data.rows("oos_test").empty()) {
        return std::string("test");
    }
    if (!data.rows("val").empty() || !data.rows("oos_val").empty()) {
        return std::string("val");
    }
    return error::invalid("the data has no test or val rows to evaluate on", "data");
}

result<intent_report> evaluate_intents(const router::intent_classifier & classifier, const intent_dataset & data) {
    auto split = evaluation_split(data);
    if (!split) {
        return split.err();
    }
    std::vector<labelled_utterance> rows = data.rows(*split);
    const auto & oos = data.rows("oos_" + *split);
    rows.insert(rows.end(), oos.begin(), oos.end());
    std::unordered_map<std::string_view, size_t> known;
    for (size_t i = 0; i < classifier.intents().size(); ++i) {
        known.emplace(classifier.intents()[i], i);
    }
    const auto & domains = classifier.model().domains;
    std::vector<intent_outcome> outcomes(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
        const std::string & gold = rows[r].intent;
        outcomes[r].gold = gold;
        if (gold == router::oos_intent) {
            continue;
        }
        const auto found = known.find(gold);
        if (found == known.end()) {
            return error::invalid("the " + *split + " split has intent '" + gold + "' that the classifier does not know",
                                  "data");
        }
        outcomes[r].gold_domain = domains[found->second];
    }
    for (const labelled_utterance & row : rows) {  // warm-up: page in the weights
        (void)classifier.classify(row.text);
    }
    for (size_t r = 0; r < rows.size(); ++r) {
        const auto start = std::chrono::steady_clock::now();
        router::intent_decision decision = classifier.classify(rows[r].text);
        const auto stop = std::chrono::steady_clock::now();
        outcomes[r].micros = std::chrono::duration<double, std::micro>(stop - start).count();
        outcomes[r].predicted = std::move(decision.intent);
    }
    return compute_intent_report(outcomes, *split);
}

nlohmann::json report_to_json(const intent_report & r) {
    nlohmann::json per_domain = nlohmann::json::object();
    for (const auto & [domain, accuracy] : r.per_domain) {
        per_domain[domain.empty() ? "(none)" : domain] = accuracy;
    }
    return {{"in_scope_accuracy", r.in_scope_accuracy},
            {"oos_recall", r.oos_recall},
            {"oos_precision", r.oos_precision},
            {"decision_p50_us", r.decision_p50_us},
            {"decision_p99_us", r.decision_p99_us},
            {"per_domain", per_domain},
            {"split", r.split},
            {"rows", r.rows},
            {"in_scope_rows", r.in_scope_rows},
            {"oos_rows", r.oos_rows}};
}

}  // namespace tiergate::eval
