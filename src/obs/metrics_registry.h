#pragma once
// A Prometheus metrics registry: counters, gauges and histograms with labels,
// rendered in the text exposition format (version 0.0.4) for GET /metrics.
//
// Hot path: a family's with(...) returns a reference to the child for those
// label values; the reference stays valid for the registry's lifetime, so
// callers can keep it. Updating a child is a few relaxed atomic operations;
// looking a child up takes a shared lock (an exclusive one only the first
// time a label combination is seen).
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace tiergate::obs {

class counter {
  public:
    void inc(double amount = 1.0);  // negative amounts are ignored (counters only go up)
    double value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

class gauge {
  public:
    void set(double v) { value_.store(v, std::memory_order_relaxed); }
    void add(double amount) { value_.fetch_add(amount, std::memory_order_relaxed); }
    double value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

class histogram {
  public:
    explicit histogram(const std::vector<double> & upper_bounds);
    void observe(double v);
    uint64_t count() const { return count_.load(std::memory_order_relaxed); }
    double sum() const { return sum_.load(std::memory_order_relaxed); }
    // Cumulative count of observations <= upper_bounds()[i] (the last bucket is +Inf).
    std::vector<uint64_t> cumulative_counts() const;
    const std::vector<double> & upper_bounds() const { return bounds_; }

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1 (+Inf)
    std::atomic<double> sum_{0.0};
    std::atomic<uint64_t> count_{0};
};

enum class metric_type { counter, gauge, histogram };

// One metric name with a fixed list of label names; children per label values.
template <class Child>
class metric_family {
  public:
    metric_family(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> buckets = {});

    // The child for these label values (one value per label name, in order).
    // Throws std::invalid_argument when the number of values is wrong: a bug.
    Child & with(const std::vector<std::string> & label_values);

    const std::string & name() const { return name_; }
    const std::string & help() const { return help_; }
    const std::vector<std::string> & label_names() const { return label_names_; }
    std::string expose() const;

  private:
    std::string name_;
    std::string help_;
    std::vector<std::string> label_names_;
    std::vector<double> buckets_;
    mutable std::shared_mutex mutex_;
    std::map<std::vector<std::string>, std::unique_ptr<Child>> children_;
};

using counter_family = metric_family<counter>;
using gauge_family = metric_family<gauge>;
using histogram_family = metric_family<histogram>;

class metrics_registry {
  public:
    // Registration happens at startup: an invalid or duplicate name throws std::invalid_argument.
    counter_family & add_counter(const std::string & name, const std::string & help,
                                 std::vector<std::string> label_names = {});
    gauge_family & add_gauge(const std::string & name, const std::string & help,
                             std::vector<std::string> label_names = {});
    // buckets: strictly increasing finite upper bounds; +Inf is added.
    histogram_family & add_histogram(const std::string & name, const std::string & help,
                                     std::vector<std::string> label_names, std::vector<double> buckets);

    // The text exposition of every family, in registration order.
    std::string expose() const;
    static constexpr const char * content_type = "text/plain; version=0.0.4; charset=utf-8";

  private:
    struct entry {
        metric_type type;
        std::unique_ptr<counter_family> counters;
        std::unique_ptr<gauge_family> gauges;
        std::unique_ptr<histogram_family> histograms;
    };
    void check_new_name(const std::string & name, const std::vector<std::string> & label_names) const;

    mutable std::shared_mutex mutex_;
    std::vector<entry> families_;
};

bool valid_metric_name(const std::string & name);
bool valid_label_name(const std::string & name);
// Escapes a label value: backslash, double quote and newline.
std::string escape_label_value(const std::string & value);
// A sample value as Prometheus writes it: shortest round-trip form, +Inf, -Inf, NaN.
std::string format_sample_value(double v);

}  // namespace tiergate::obs
