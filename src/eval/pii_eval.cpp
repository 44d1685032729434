#include "eval/pii_eval.h"

#include "guard/entity_type.h"
#include "guard/scanner.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

namespace tiergate::eval {

namespace {

std::string canonical_type(const std::string & name) {
    if (auto type = guard::parse_entity_type(name)) {
        return std::string(guard::to_string(*type));
    }
    return name;
}

// Types the guard can report (its canonical names).
const std::set<std::string> & guard_types() {
    static const std::set<std::string> types = [] {
        std::set<std::string> s;
        for (guard::entity_type t : guard::all_entity_types) {
            s.emplace(guard::to_string(t));
        }
        return s;
    }();
    return types;
}

bool overlaps(const pii_span & a, const pii_span & b) { return a.start < b.end && b.start < a.end; }

void add(span_metrics & into, const span_metrics & m) {
    into.predicted += m.predicted;
    into.predicted_correct += m.predicted_correct;
    into.gold += m.gold;
    into.gold_found += m.gold_found;
}

nlohmann::json scores_json(const pii_scores & scores) {
    nlohmann::json per_type = nlohmann::json::object();
    for (const auto & [type, m] : scores.per_type) {
        per_type[type] = {{"precision", m.precision()},
                          {"recall", m.recall()},
                          {"f1", m.f1()},
                          {"support", m.gold},
                          {"predicted", m.predicted}};
    }
    return {{"per_type", per_type},
            {"micro",
             {{"precision", scores.micro.precision()},
              {"recall", scores.micro.recall()},
              {"f1", scores.micro.f1()},
              {"support", scores.micro.gold},
              {"predicted", scores.micro.predicted}}}};
}

}  // namespace

double span_metrics::precision() const {
    return predicted == 0 ? 0.0 : static_cast<double>(predicted_correct) / static_cast<double>(predicted);
}

double span_metrics::recall() const { return gold == 0 ? 0.0 : static_cast<double>(gold_found) / static_cast<double>(gold); }

double span_metrics::f1() const {
    const double p = precision();
    const double r = recall();
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

std::vector<size_t> code_point_offsets(std::string_view text) {
    std::vector<size_t> offsets;
    offsets.reserve(text.size() + 1);
    size_t i = 0;
    while (i < text.size()) {
        offsets.push_back(i);
        const auto c = static_cast<unsigned char>(text[i]);
        size_t len = 1;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
        }
        if (i + len > text.size()) {
            len = 1;
        }
        for (size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
                len = 1;
                break;
            }
        }
        i += len;
    }
    offsets.push_back(text.size());
    return offsets;
}

result<std::vector<pii_sample>> parse_pii_data(std::string_view json_text) {
    nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, false);
    if (doc.is_discarded() || !doc.is_array()) {
        return error::invalid("PII data must be a JSON list of {full_text, spans} objects", "data", "malformed_pii_data");
    }
    std::vector<pii_sample> samples;
    samples.reserve(doc.size());
    for (size_t i = 0; i < doc.size(); ++i) {
        const nlohmann::json & row = doc[i];
        const std::string where = "data[" + std::to_string(i) + "]";
        if (!row.is_object() || !row.contains("full_text") || !row["full_text"].is_string()) {
            return error::invalid(where + " has no string full_text", where + ".full_text", "malformed_pii_data");
        }
        pii_sample sample;
        sample.text = row["full_text"].get<std::string>();
        const std::vector<size_t> offsets = code_point_offsets(sample.text);
        const size_t chars = offsets.size() - 1;
        if (row.contains("spans") && row["spans"].is_array()) {
            for (size_t k = 0; k < row["spans"].size(); ++k) {
                const nlohmann::json & span = row["spans"][k];
                const std::string span_where = where + ".spans[" + std::to_string(k) + "]";
                if (!span.is_object() || !span.contains("entity_type") || !span["entity_type"].is_string() ||
                    !span.contains("start_position") || !span["start_position"].is_number_integer() ||
                    !span.contains("end_position") || !span["end_position"].is_number_integer()) {
                    return error::invalid(span_where + " needs entity_type, start_position and end_position", span_where,
                                          "malformed_pii_data");
                }
                const long long start = span["start_position"].get<long long>();
                const long long end = span["end_position"].get<long long>();
                if (start < 0 || end < start || static_cast<size_t>(end) > chars) {
                    return error::invalid(span_where + " positions " + std::to_string(start) + ".." +
                                              std::to_string(end) + " are outside the text of " +
                                              std::to_string(chars) + " characters",
                                          span_where, "malformed_pii_data");
                }
                sample.spans.push_back({canonical_type(span["entity_type"].get<std::string>()),
                                        offsets[static_cast<size_t>(start)], offsets[static_cast<size_t>(end)]});
            }
        }
        samples.push_back(std::move(sample));
    }
    return samples;
}

result<std::vector<pii_sample>> load_pii_data(const std::string & path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return error::invalid("cannot read PII data file " + path, "data", "file_not_readable");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_pii_data(buffer.str());
}

pii_report score_spans(const std::vector<std::vector<pii_span>> & gold,
                       const std::vector<std::vector<pii_span>> & predicted) {
    pii_report report;
    report.samples = gold.size();
    std::set<std::string> annotated;
    for (const auto & spans : gold) {
        for (const pii_span & s : spans) {
            annotated.insert(s.type);
        }
    }
    auto scored = [&](const std::string & type) { return annotated.count(type) > 0 && guard_types().count(type) > 0; };
    for (size_t i = 0; i < gold.size(); ++i) {
        const std::vector<pii_span> & g = gold[i];
        static const std::vector<pii_span> none;
        const std::vector<pii_span> & p = i < predicted.size() ? predicted[i] : none;
        for (const pii_span & s : g) {
            if (!scored(s.type)) {
                ++report.unscored_gold[s.type];
                continue;
            }
            span_metrics & o = report.overlap.per_type[s.type];
            span_metrics & x = report.strict.per_type[s.type];
            ++o.gold;
            ++x.gold;
            bool found = false;
            bool exact = false;
            for (const pii_span & q : p) {
                if (q.type != s.type) {
                    continue;
                }
                found = found || overlaps(s, q);
                exact = exact || (q.start == s.start && q.end == s.end);
            }
            o.gold_found += found;
            x.gold_found += exact;
        }
        for (const pii_span & q : p) {
            if (!scored(q.type)) {
                ++report.unscored_predictions[q.type];
                continue;
            }
            span_metrics & o = report.overlap.per_type[q.type];
            span_metrics & x = report.strict.per_type[q.type];
            ++o.predicted;
            ++x.predicted;
            bool correct = false;
            bool exact = false;
            for (const pii_span & s : g) {
                if (s.type != q.type) {
                    continue;
                }
                correct = correct || overlaps(s, q);
                exact = exact || (q.start == s.start && q.end == s.end);
            }
            o.predicted_correct += correct;
            x.predicted_correct += exact;
        }
    }
    for (const auto & [type, m] : report.overlap.per_type) {
        add(report.overlap.micro, m);
    }
    for (const auto & [type, m] : report.strict.per_type) {
        add(report.strict.micro, m);
    }
    return report;
}

pii_report evaluate_pii(const std::vector<pii_sample> & samples, const guard::recognizer_options & options) {
    const result<guard::scanner> scanner = guard::scanner::make(options);
    std::vector<std::vector<pii_span>> gold;
    std::vector<std::vector<pii_span>> predicted;
    gold.reserve(samples.size());
    predicted.reserve(samples.size());
    for (const pii_sample & sample : samples) {
        gold.push_back(sample.spans);
        std::vector<pii_span> spans;
        for (const guard::finding & f : scanner->scan(sample.text)) {
            spans.push_back({std::string(guard::to_string(f.type)), f.start, f.end});
        }
        predicted.push_back(std::move(spans));
    }
    return score_spans(gold, predicted);
}

std::string pii_report_json(const pii_report & report) {
    nlohmann::json j = scores_json(report.overlap);
    j["matching"] = "overlap: same type and at least one character in common";
    j["samples"] = report.samples;
    j["strict"] = scores_json(report.strict);
    j["strict"]["matching"] = "strict: same type, start and end";
    j["unscored_gold"] = report.unscored_gold;
    j["unscored_predictions"] = report.unscored_predictions;
    return j.dump();
}

std::string pii_report_text(const pii_report & report) {
    std::string s;
    char line[256];
    std::snprintf(line, sizeof line, "%zu samples. Overlap matching: same type and at least one character in common;\n"
                                     "strict matching: same type, start and end.\n\n",
                  report.samples);
    s += line;
    std::snprintf(line, sizeof line, "%-20s %9s %9s %9s %8s   %9s %9s %9s\n", "type", "precision", "recall", "f1",
                  "support", "strict P", "strict R", "strict F1");
    s += line;
    auto row = [&](const std::string & name, const span_metrics & o, const span_metrics & x) {
        std::snprintf(line, sizeof line, "%-20s %9.3f %9.3f %9.3f %8zu   %9.3f %9.3f %9.3f\n", name.c_str(),
                      o.precision(), o.recall(), o.f1(), o.gold, x.precision(), x.recall(), x.f1());
        s += line;
    };
    for (const auto & [type, m] : report.overlap.per_type) {
        row(type, m, report.strict.per_type.at(type));
    }
    row("micro", report.overlap.micro, report.strict.micro);
    if (!report.unscored_gold.empty()) {
        s += "\nnot scored, gold types the guard does not detect:";
        for (const auto & [type, n] : report.unscored_gold) {
            s += " " + type + "=" + std::to_string(n);
        }
        s += "\n";
    }
    if (!report.unscored_predictions.empty()) {
        s += "not scored, predicted types the data does not annotate:";
        for (const auto & [type, n] : report.unscored_predictions) {
            s += " " + type + "=" + std::to_string(n);
        }
        s += "\n";
    }
    return s;
}

int run_eval_pii(const std::string & data_path, bool json, const std::vector<std::string> & without, std::ostream & out,
                 std::ostream & err) {
    guard::recognizer_options options;
    for (const std::string & kind : without) {
        if (kind == "dictionaries") {
            options.dictionaries = false;
        } else if (kind == "context") {
            options.context = false;
        } else if (kind == "shape") {
            options.shape = false;
        } else {
            err << "error: unknown evidence kind '" << kind << "' (without: dictionaries, context, shape)\n";
            return 2;
        }
    }
    const result<std::vector<pii_sample>> samples = load_pii_data(data_path);
    if (!samples) {
        err << "error: " << samples.err().message << "\n";
        return 1;
    }
    const pii_report report = evaluate_pii(*samples, options);
    out << (json ? pii_report_json(report) + "\n" : pii_report_text(report));
    return 0;
}

}  // namespace tiergate::eval
