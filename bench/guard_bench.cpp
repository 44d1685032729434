// Guard throughput and per-request latency.
//   guard_bench --benchmark_filter=. --benchmark_min_time=2
// BM_pattern_detectors: the checked-pattern and secret detectors alone (MB/s).
// BM_full_scan: every recognizer, names and addresses included (MB/s).
// BM_request_2kb: scan + pseudonymize one 2 KB chat message, with p50/p99 in µs
// (wall clock, and this thread's CPU time).

#include "guard/apply_policy.h"
#include "guard/detectors.h"
#include "guard/scanner.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace tiergate::guard;

// CPU time of this thread: per-request cost without the time the scheduler
// gives to other processes on a shared machine.
double thread_cpu_micros() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Deterministic chat-like text: ordinary sentences with an occasional
// name, e-mail, phone, card, IBAN, IP address or street address.
std::string make_text(size_t bytes, unsigned seed) {
    static const std::vector<std::string> sentences = {
        "Can you summarize the quarterly report and list the three biggest risks for the team? ",
        "The deployment failed again because the cache was not warmed up before traffic arrived. ",
        "Please rewrite this paragraph so that it sounds friendlier but keeps every technical detail. ",
        "We compared the latency of both services over a week and the new one is faster at the tail. ",
        "Explain how a hash map handles collisions, with a short example in C++ or Python. ",
        "The customer asked whether the invoice could be split over two months without extra fees. ",
        "In the meeting we agreed to move the launch by one week and to update the documentation. ",
        "Draft an email that thanks the vendor and asks for the signed contract by Friday. ",
    };
    static const std::vector<std::string> pii = {
        "My name is Maria Gonzalez and my email is maria.gonzalez@example.com. ",
        "Call me at +1 415 555 0134 after lunch. ",
        "The card 4111 1111 1111 1111 was charged twice. ",
        "Send the refund to GB82 WEST 1234 5698 7654 32 please. ",
        "The server at 10.24.3.17 stopped answering. ",
        "Ship it to 221 Baker Street, London. ",
        "Ask Dr. Okafor about the results. ",
        "Our key sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56 leaked. ",
    };
    std::mt19937 rng(seed);
    std::string text;
    text.reserve(bytes + 256);
    while (text.size() < bytes) {
        if (rng() % 6 == 0) {
            text += pii[rng() % pii.size()];
        } else {
            text += sentences[rng() % sentences.size()];
        }
    }
    text.resize(bytes);
    return text;
}

void BM_pattern_detectors(benchmark::State & state) {
    const std::string text = make_text(4u << 20, 1);
    std::vector<finding> out;
    for (auto _ : state) {
        out.clear();
        detect_secrets(text, out);
        detect_emails(text, out);
        detect_urls(text, out);
        detect_ibans(text, out);
        detect_ipv6(text, out);
        detect_numbers(text, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
    state.counters["findings"] = static_cast<double>(out.size());
}
BENCHMARK(BM_pattern_detectors)->Unit(benchmark::kMillisecond);

void BM_full_scan(benchmark::State & state) {
    const std::string text = make_text(4u << 20, 2);
    size_t n = 0;
    for (auto _ : state) {
        const auto findings = scan(text);
        n = findings.size();
        benchmark::DoNotOptimize(findings.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
    state.counters["findings"] = static_cast<double>(n);
}
BENCHMARK(BM_full_scan)->Unit(benchmark::kMillisecond);

void BM_request_2kb(benchmark::State & state) {
    std::vector<std::string> requests;
    for (unsigned i = 0; i < 64; ++i) {
        requests.push_back(make_text(2048, 100 + i));
    }
    const scanner & s = *new scanner(std::move(*scanner::make({})));
    guard_policy policy;
    policy.rules = {{policy_action::pseudonymize, {}, 0.0f}};
    std::vector<double> micros;
    std::vector<double> cpu_micros;
    micros.reserve(1 << 20);
    cpu_micros.reserve(1 << 20);
    size_t i = 0;
    for (auto _ : state) {
        const std::string & text = requests[i++ % requests.size()];
        const double cpu_start = thread_cpu_micros();
        const auto start = std::chrono::steady_clock::now();
        pseudonymizer names;
        auto out = guard_text(s, text, policy, names);
        benchmark::DoNotOptimize(out);
        micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
        cpu_micros.push_back(thread_cpu_micros() - cpu_start);
    }
    std::sort(micros.begin(), micros.end());
    std::sort(cpu_micros.begin(), cpu_micros.end());
    auto pct = [](const std::vector<double> & v, double p) {
        return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
    };
    state.counters["p50_us"] = pct(micros, 0.50);
    state.counters["p99_us"] = pct(micros, 0.99);
    state.counters["cpu_p50_us"] = pct(cpu_micros, 0.50);
    state.counters["cpu_p99_us"] = pct(cpu_micros, 0.99);
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * 2048));
}
BENCHMARK(BM_request_2kb)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
