#include "obs/metrics_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <mutex>
#include <stdexcept>

namespace tiergate::obs {

void counter::inc(double amount) {
    if (!(amount > 0.0)) {
        return;
    }
    value_.fetch_add(amount, std::memory_order_relaxed);
}

histogram::histogram(const std::vector<double> & upper_bounds)
    : bounds_(upper_bounds), buckets_(new std::atomic<uint64_t>[upper_bounds.size() + 1]) {
    for (size_t i = 0; i <= bounds_.size(); ++i) {
        buckets_[i].store(0, std::memory_order_relaxed);
    }
}

void histogram::observe(double v) {
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    const auto index = static_cast<size_t>(it - bounds_.begin());
    buckets_[index].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> histogram::cumulative_counts() const {
    std::vector<uint64_t> out(bounds_.size() + 1);
    uint64_t running = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        out[i] = running;
    }
    return out;
}

bool valid_metric_name(const std::string & name) {
    if (name.empty()) {
        return false;
    }
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit))) {
            return false;
        }
    }
    return true;
}

bool valid_label_name(const std::string & name) {
    if (name.empty() || name.rfind("__", 0) == 0) {
        return false;
    }
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit))) {
            return false;
        }
    }
    return true;
}

std::string escape_label_value(const std::string & value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_sample_value(double v) {
    if (std::isnan(v)) {
        return "NaN";
    }
    if (std::isinf(v)) {
        return v > 0 ? "+Inf" : "-Inf";
    }
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    if (ec != std::errc{}) {
        return "NaN";
    }
    return std::string(buf, end);
}

namespace {

std::string escape_help(const std::string & help) {
    std::string out;
    for (char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

void append_labels(std::string & out, const std::vector<std::string> & names, const std::vector<std::string> & values,
                   const std::string & extra_name = {}, const std::string & extra_value = {}) {
    if (names.empty() && extra_name.empty()) {
        return;
    }
    out += '{';
    bool first = true;
    for (size_t i = 0; i < names.size(); ++i) {
        if (!first) {
            out += ',';
        }
        first = false;
        out += names[i];
        out += "=\"";
        out += escape_label_value(values[i]);
        out += '"';
    }
    if (!extra_name.empty()) {
        if (!first) {
            out += ',';
        }
        out += extra_name;
        out += "=\"";
        out += extra_value;
        out += '"';
    }
    out += '}';
}

const char * type_name(const counter *) { return "counter"; }
const char * type_name(const gauge *) { return "gauge"; }
const char * type_name(const histogram *) { return "histogram"; }

void append_child(std::string & out, const std::string & name, const std::vector<std::string> & label_names,
                  const std::vector<std::string> & values, const counter & c) {
    out += name;
    append_labels(out, label_names, values);
    out += ' ';
    out += format_sample_value(c.value());
    out += '\n';
}

void append_child(std::string & out, const std::string & name, const std::vector<std::string> & label_names,
                  const std::vector<std::string> & values, const gauge & g) {
    out += name;
    append_labels(out, label_names, values);
    out += ' ';
    out += format_sample_value(g.value());
    out += '\n';
}

void append_child(std::string & out, const std::string & name, const std::vector<std::string> & label_names,
                  const std::vector<std::string> & values, const histogram & h) {
    const auto counts = h.cumulative_counts();
    const auto & bounds = h.upper_bounds();
    for (size_t i = 0; i <= bounds.size(); ++i) {
        out += name;
        out += "_bucket";
        const std::string le = i < bounds.size() ? format_sample_value(bounds[i]) : "+Inf";
        append_labels(out, label_names, values, "le", le);
        out += ' ';
        out += std::to_string(counts[i]);
        out += '\n';
    }
    out += name;
    out += "_sum";
    append_labels(out, label_names, values);
    out += ' ';
    out += format_sample_value(h.sum());
    out += '\n';
    out += name;
    out += "_count";
    append_labels(out, label_names, values);
    out += ' ';
    // _count equals the +Inf bucket so a scrape is self-consistent.
    out += std::to_string(counts.back());
    out += '\n';
}

template <class Child>
std::unique_ptr<Child> make_child(const std::vector<double> &) {
    return std::make_unique<Child>();
}

template <>
std::unique_ptr<histogram> make_child<histogram>(const std::vector<double> & buckets) {
    return std::make_unique<histogram>(buckets);
}

}  // namespace

template <class Child>
metric_family<Child>::metric_family(std::string name, std::string help, std::vector<std::string> label_names,
                                    std::vector<double> buckets)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)), buckets_(std::move(buckets)) {}

template <class Child>
Child & metric_family<Child>::with(const std::vector<std::string> & label_values) {
    if (label_values.size() != label_names_.size()) {
        throw std::invalid_argument("metric " + name_ + " takes " + std::to_string(label_names_.size()) +
                                    " label values, got " + std::to_string(label_values.size()));
    }
    {
        std::shared_lock lock(mutex_);
        auto it = children_.find(label_values);
        if (it != children_.end()) {
            return *it->second;
        }
    }
    std::unique_lock lock(mutex_);
    auto & slot = children_[label_values];
    if (!slot) {
        slot = make_child<Child>(buckets_);
    }
    return *slot;
}

template <class Child>
std::string metric_family<Child>::expose() const {
    std::string out;
    out += "# HELP " + name_ + " " + escape_help(help_) + "\n";
    out += "# TYPE " + name_ + " " + type_name(static_cast<const Child *>(nullptr)) + "\n";
    std::shared_lock lock(mutex_);
    for (const auto & [values, child] : children_) {
        append_child(out, name_, label_names_, values, *child);
    }
    return out;
}

template class metric_family<counter>;
template class metric_family<gauge>;
template class metric_family<histogram>;

void metrics_registry::check_new_name(const std::string & name, const std::vector<std::string> & label_names) const {
    if (!valid_metric_name(name)) {
        throw std::invalid_argument("invalid metric name '" + name + "'");
    }
    for (const auto & label : label_names) {
        if (!valid_label_name(label) || label == "le") {
            throw std::invalid_argument("invalid label name '" + label + "' on metric " + name);
        }
    }
    auto sorted = label_names;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
        throw std::invalid_argument("duplicate label name on metric " + name);
    }
    for (const auto & e : families_) {
        const std::string & existing = e.counters ? e.counters->name() : e.gauges ? e.gauges->name() : e.histograms->name();
        if (existing == name) {
            throw std::invalid_argument("metric " + name + " is registered twice");
        }
    }
}

counter_family & metrics_registry::add_counter(const std::string & name, const std::string & help,
                                               std::vector<std::string> label_names) {
    std::unique_lock lock(mutex_);
    check_new_name(name, label_names);
    entry e{metric_type::counter, std::make_unique<counter_family>(name, help, std::move(label_names)), nullptr, nullptr};
    families_.push_back(std::move(e));
    return *families_.back().counters;
}

gauge_family & metrics_registry::add_gauge(const std::string & name, const std::string & help,
                                           std::vector<std::string> label_names) {
    std::unique_lock lock(mutex_);
    check_new_name(name, label_names);
    entry e{metric_type::gauge, nullptr, std::make_unique<gauge_family>(name, help, std::move(label_names)), nullptr};
    families_.push_back(std::move(e));
    return *families_.back().gauges;
}

histogram_family & metrics_registry::add_histogram(const std::string & name, const std::string & help,
                                                   std::vector<std::string> label_names, std::vector<double> buckets) {
    std::unique_lock lock(mutex_);
    check_new_name(name, label_names);
    if (buckets.empty()) {
        throw std::invalid_argument("histogram " + name + " needs at least one bucket");
    }
    for (size_t i = 0; i < buckets.size(); ++i) {
        if (!std::isfinite(buckets[i]) || (i > 0 && !(buckets[i] > buckets[i - 1]))) {
            throw std::invalid_argument("histogram " + name + " buckets must be finite and strictly increasing");
        }
    }
    entry e{metric_type::histogram, nullptr, nullptr,
            std::make_unique<histogram_family>(name, help, std::move(label_names), std::move(buckets))};
    families_.push_back(std::move(e));
    return *families_.back().histograms;
}

std::string metrics_registry::expose() const {
    std::shared_lock lock(mutex_);
    std::string out;
    for (const auto & e : families_) {
        switch (e.type) {
            case metric_type::counter: out += e.counters->expose(); break;
            case metric_type::gauge: out += e.gauges->expose(); break;
            case metric_type::histogram: out += e.histograms->expose(); break;
        }
    }
    return out;
}

}  // namespace tiergate::obs
