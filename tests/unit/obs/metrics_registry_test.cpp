#include "obs/metrics_registry.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

using namespace tiergate::obs;

namespace {

// Checks the text exposition format line by line: HELP/TYPE comments before
// samples, sample lines "name{labels} value", label syntax, histogram series
// (cumulative buckets ending in +Inf, _count equal to the +Inf bucket).
void expect_valid_exposition(const std::string & text) {
    const std::regex help(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$)");
    const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
    const std::regex sample(
        R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\\\|\\"|\\n)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\\\|\\"|\\n)*")*)?\})? ([-+]?([0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?|Inf|NaN))$)re");
    ASSERT_FALSE(text.empty());
    ASSERT_EQ(text.back(), '\n');
    std::istringstream in(text);
    std::string line;
    std::string current;
    std::string current_type;
    std::set<std::string> seen_types;
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_match(line, m, help)) {
            current = m[1];
            continue;
        }
        if (std::regex_match(line, m, type)) {
            EXPECT_EQ(m[1], current) << "TYPE must follow HELP of the same metric";
            EXPECT_TRUE(seen_types.insert(m[1]).second) << "metric typed twice: " << m[1];
            current_type = m[2];
            continue;
        }
        ASSERT_TRUE(std::regex_match(line, m, sample)) << "bad sample line: " << line;
        const std::string name = m[1];
        if (current_type == "histogram") {
            EXPECT_TRUE(name == current + "_bucket" || name == current + "_sum" || name == current + "_count") << line;
        } else {
            EXPECT_EQ(name, current) << line;
        }
    }
}

}  // namespace

TEST(metrics_registry, exposition_is_valid_and_complete) {
    metrics_registry r;
    auto & requests = r.add_counter("test_requests_total", "Requests.", {"tier", "status"});
    auto & depth = r.add_gauge("test_queue_depth", "Queue depth.");
    auto & latency = r.add_histogram("test_latency_seconds", "Latency.", {"tier"}, {0.1, 0.5, 1.0});
    requests.with({"slm", "200"}).inc();
    requests.with({"slm", "200"}).inc(2);
    requests.with({"frontier", "429"}).inc();
    depth.with({}).set(7);
    latency.with({"slm"}).observe(0.05);
    latency.with({"slm"}).observe(0.3);
    latency.with({"slm"}).observe(3.0);
    const std::string text = r.expose();
    expect_valid_exposition(text);
    EXPECT_NE(text.find("test_requests_total{tier=\"slm\",status=\"200\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("test_requests_total{tier=\"frontier\",status=\"429\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("test_queue_depth 7\n"), std::string::npos);
    EXPECT_NE(text.find("test_latency_seconds_bucket{tier=\"slm\",le=\"0.1\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("test_latency_seconds_bucket{tier=\"slm\",le=\"0.5\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("test_latency_seconds_bucket{tier=\"slm\",le=\"1\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("test_latency_seconds_bucket{tier=\"slm\",le=\"+Inf\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("test_latency_seconds_count{tier=\"slm\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("test_latency_seconds_sum{tier=\"slm\"} 3.35\n"), std::string::npos) << text;
}

TEST(metrics_registry, label_values_are_escaped) {
    metrics_registry r;
    r.add_counter("test_total", "With \\ and\nnewline.", {"model"}).with({"a\"b\\c\nd"}).inc();
    const std::string text = r.expose();
    expect_valid_exposition(text);
    EXPECT_NE(text.find(R"(test_total{model="a\"b\\c\nd"} 1)"), std::string::npos) << text;
    EXPECT_NE(text.find("# HELP test_total With \\\\ and\\nnewline.\n"), std::string::npos) << text;
}

TEST(metrics_registry, rejects_bad_registrations) {
    metrics_registry r;
    EXPECT_THROW(r.add_counter("1bad", "x"), std::invalid_argument);
    EXPECT_THROW(r.add_counter("ok_total", "x", {"__reserved"}), std::invalid_argument);
    EXPECT_THROW(r.add_counter("ok_total", "x", {"a", "a"}), std::invalid_argument);
    EXPECT_THROW(r.add_histogram("h", "x", {"le"}, {1.0}), std::invalid_argument);
    EXPECT_THROW(r.add_histogram("h", "x", {}, {1.0, 1.0}), std::invalid_argument);
    EXPECT_THROW(r.add_histogram("h", "x", {}, {}), std::invalid_argument);
    r.add_counter("dup_total", "x");
    EXPECT_THROW(r.add_gauge("dup_total", "x"), std::invalid_argument);
    auto & c = r.add_counter("two_labels_total", "x", {"a", "b"});
    EXPECT_THROW(c.with({"only-one"}), std::invalid_argument);
}

TEST(metrics_registry, counters_ignore_negative_and_gauges_go_both_ways) {
    metrics_registry r;
    auto & c = r.add_counter("c_total", "x").with({});
    c.inc(5);
    c.inc(-3);
    EXPECT_DOUBLE_EQ(c.value(), 5);
    auto & g = r.add_gauge("g", "x").with({});
    g.add(4);
    g.add(-6);
    EXPECT_DOUBLE_EQ(g.value(), -2);
}

TEST(metrics_registry, concurrent_updates_are_not_lost) {
    metrics_registry r;
    auto & fam = r.add_counter("conc_total", "x", {"worker"});
    auto & hist = r.add_histogram("conc_seconds", "x", {}, {0.5});
    constexpr int threads = 8;
    constexpr int per_thread = 20000;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                fam.with({std::to_string(t % 2)}).inc();
                hist.with({}).observe(i % 2 ? 0.1 : 1.0);
            }
        });
    }
    for (auto & th : pool) {
        th.join();
    }
    EXPECT_DOUBLE_EQ(fam.with({"0"}).value() + fam.with({"1"}).value(), threads * per_thread);
    EXPECT_EQ(hist.with({}).count(), static_cast<uint64_t>(threads * per_thread));
    EXPECT_EQ(hist.with({}).cumulative_counts()[0], static_cast<uint64_t>(threads * per_thread / 2));
    expect_valid_exposition(r.expose());
}

TEST(metrics_registry, sample_values_format) {
    EXPECT_EQ(format_sample_value(1.0), "1");
    EXPECT_EQ(format_sample_value(0.25), "0.25");
    EXPECT_EQ(format_sample_value(1.0 / 0.0), "+Inf");
    EXPECT_EQ(format_sample_value(-1.0 / 0.0), "-Inf");
    EXPECT_EQ(format_sample_value(0.0 / 0.0 * 0.0), "NaN");
}
