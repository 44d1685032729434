// Ledger benchmarks:
//  - submit_latency: the cost the request path pays per record (ledger_writer::submit)
//    while the background thread writes the same stream to SQLite; reports p50/p99/max.
//  - sqlite_throughput: records per second that reach SQLite, from submit to commit,
//    with the writer's default batching (max 2048 records or 100 ms).
//  - accounting (with the gateway library in the build): what the gateway's
//    accounting adds to one request: the budget reservation, then at the end
//    of the call the attempt bookkeeping, pricing, settling the reservation,
//    the metrics and queueing the record (gateway::accounted_observer and
//    gateway_accounting), while the writer commits to SQLite.
#include "ledger/ledger_writer.h"
#include "ledger/store.h"

#ifdef TIERGATE_BENCH_GATEWAY
#include "config/config.h"
#include "gateway/accounted_observer.h"
#include "gateway/gateway_accounting.h"
#include "ledger/budget_enforcer.h"
#include "ledger/budget_memory_counter.h"
#include "obs/gateway_metrics.h"
#include "obs/metrics_registry.h"
#endif

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using namespace tiergate::ledger;

namespace {

std::string bench_db(const char * name) {
    const auto path = std::filesystem::temp_directory_path() / (std::string("tiergate_bench_") + name + ".db");
    for (const char * suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path.string() + suffix);
    }
    return path.string();
}

usage_record make_record(uint64_t n) {
    usage_record r;
    r.request_id = "req-" + std::to_string(n);
    r.time_ms = 1'795'564'800'000 + static_cast<int64_t>(n);
    r.key_id = "key-" + std::to_string(n % 50);
    r.team = "team-" + std::to_string(n % 5);
    r.route = "default";
    r.route_reason = "rules: short prompt";
    attempt_record a;
    a.model = "local-3b";
    a.provider = "local";
    a.input_tokens = 350;
    a.output_tokens = 120;
    a.latency_ms = 85;
    a.ttft_ms = 42;
    r.attempts.push_back(a);
    if (n % 10 == 0) {
        attempt_record b = a;
        b.attempt = 2;
        b.kind = attempt_kind::escalation;
        b.tier_used = tier::frontier;
        b.model = "frontier-x";
        b.provider = "openai";
        b.cost_usd = 0.0021;
        r.attempts.push_back(b);
    }
    r.total_from_attempts();
    r.counterfactual_cost_usd = 0.0021;
    if (n % 20 == 0) {
        r.pii_counts["email"] = 1;
    }
    return r;
}

// p50, p99, p99.9 and max of the timed samples (microseconds) as counters.
void report_latencies(benchmark::State & state, std::vector<double> & samples) {
    std::sort(samples.begin(), samples.end());
    auto pct = [&](double p) {
        return samples.empty() ? 0.0 : samples[std::min(samples.size() - 1, static_cast<size_t>(p * static_cast<double>(samples.size())))];
    };
    state.counters["p50_us"] = pct(0.50);
    state.counters["p99_us"] = pct(0.99);
    state.counters["p999_us"] = pct(0.999);
    state.counters["max_us"] = samples.empty() ? 0.0 : samples.back();
}

void submit_latency(benchmark::State & state) {
    auto s = open_store(bench_db("latency"));
    if (!s) {
        state.SkipWithError(s.err().message.c_str());
        return;
    }
    ledger_writer writer(std::move(*s));
    std::vector<double> samples;
    samples.reserve(1'000'000);
    uint64_t n = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto record = make_record(n++);
        state.ResumeTiming();
        const auto t0 = std::chrono::steady_clock::now();
        writer.submit(std::move(record));
        const auto t1 = std::chrono::steady_clock::now();
        samples.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    writer.shutdown();
    report_latencies(state, samples);
    state.counters["written"] = static_cast<double>(writer.stats().written);
}

// The same measurement with submissions paced at state.range(0) records per
// second, the way request threads produce them (no burst that fills the queue).
void submit_latency_paced(benchmark::State & state) {
    auto s = open_store(bench_db("paced"));
    if (!s) {
        state.SkipWithError(s.err().message.c_str());
        return;
    }
    ledger_writer writer(std::move(*s));
    const auto interval = std::chrono::nanoseconds(1'000'000'000 / state.range(0));
    std::vector<double> samples;
    samples.reserve(1'000'000);
    uint64_t n = 0;
    auto next = std::chrono::steady_clock::now();
    for (auto _ : state) {
        auto record = make_record(n++);
        next += interval;
        while (std::chrono::steady_clock::now() < next) {
        }
        const auto t0 = std::chrono::steady_clock::now();
        writer.submit(std::move(record));
        const auto t1 = std::chrono::steady_clock::now();
        samples.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    writer.shutdown();
    report_latencies(state, samples);
    state.counters["blocked_submits"] = static_cast<double>(writer.stats().blocked_submits);
}

void sqlite_throughput(benchmark::State & state) {
    const auto records = static_cast<uint64_t>(state.range(0));
    uint64_t base = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto s = open_store(bench_db("throughput"));
        if (!s) {
            state.SkipWithError(s.err().message.c_str());
            return;
        }
        std::vector<usage_record> prepared;
        prepared.reserve(records);
        for (uint64_t i = 0; i < records; ++i) {
            prepared.push_back(make_record(base + i));
        }
        base += records;
        ledger_writer writer(std::move(*s));
        state.ResumeTiming();
        const auto t0 = std::chrono::steady_clock::now();
        for (auto & r : prepared) {
            writer.submit(std::move(r));
        }
        writer.shutdown();  // returns when everything is committed
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        state.counters["records_per_s"] = static_cast<double>(writer.stats().written) / seconds;
        state.counters["batches"] = static_cast<double>(writer.stats().batches);
        state.counters["blocked_submits"] = static_cast<double>(writer.stats().blocked_submits);
    }
}

// The same into PostgreSQL when TIERGATE_TEST_PG_URL names one
// (scripts/services.sh starts a throwaway server).
void postgresql_throughput(benchmark::State & state) {
    const char * url = std::getenv("TIERGATE_TEST_PG_URL");
    if (url == nullptr || *url == '\0') {
        state.SkipWithError("TIERGATE_TEST_PG_URL is not set");
        return;
    }
    const auto records = static_cast<uint64_t>(state.range(0));
    const uint64_t base = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) % 1'000'000'000'000ULL;
    uint64_t offset = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto s = open_store(url);
        if (!s) {
            state.SkipWithError(s.err().message.c_str());
            return;
        }
        std::vector<usage_record> prepared;
        prepared.reserve(records);
        for (uint64_t i = 0; i < records; ++i) {
            auto r = make_record(offset + i);
            r.request_id = "pg-" + std::to_string(base) + "-" + std::to_string(offset + i);
            prepared.push_back(std::move(r));
        }
        offset += records;
        ledger_writer writer(std::move(*s));
        state.ResumeTiming();
        const auto t0 = std::chrono::steady_clock::now();
        for (auto & r : prepared) {
            writer.submit(std::move(r));
        }
        writer.shutdown();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        state.counters["records_per_s"] = static_cast<double>(writer.stats().written) / seconds;
    }
}

#ifdef TIERGATE_BENCH_GATEWAY

// The client's side of a call: does nothing.
class null_observer final : public tiergate::generation_observer {
  public:
    void on_delta(tiergate::generation_delta &&) override {}
    void on_end(tiergate::generation_end &&) override {}
    bool wanted() const override { return true; }
};

tiergate::config::model_config bench_model(const char * name, tiergate::config::model_tier tier, double in, double out) {
    tiergate::config::model_config m;
    m.name = name;
    m.tier = tier;
    m.price = {in, out};
    if (tier == tiergate::config::model_tier::slm) {
        m.provider = tiergate::config::provider_kind::local;
    } else {
        m.provider = tiergate::config::provider_kind::openai_compatible;
        m.remote = tiergate::config::remote_model{"http://127.0.0.1:9/v1", ""};
    }
    return m;
}

// One request's accounting, start to end, state.range(0) requests per second
// (0: as fast as possible). Budgets: a per-key day budget, a token and a
// request rate limit (in-process counters), all large enough to grant.
void accounting(benchmark::State & state) {
    namespace gw = tiergate::gateway;
    using tiergate::config::model_tier;
    tiergate::config::config cfg;
    cfg.models.push_back(bench_model("local-3b", model_tier::slm, 0, 0));
    cfg.models.push_back(bench_model("mid-x", model_tier::mid, 0.5, 1.5));
    cfg.models.push_back(bench_model("frontier-x", model_tier::frontier, 10, 30));
    cfg.frontier_baseline = "frontier-x";
    cfg.reindex();

    tiergate::obs::metrics_registry registry;
    tiergate::obs::gateway_metrics metrics(registry);
    memory_counter_backend counters;
    budget_config limits;
    limit_set per_key;
    per_key.usd_per_day = 1e9;
    per_key.tokens_per_minute = int64_t{1} << 50;
    per_key.requests_per_minute = int64_t{1} << 50;
    limits.default_key = per_key;
    budget_enforcer budgets(limits, counters);
    auto s = open_store(bench_db("accounting"));
    if (!s) {
        state.SkipWithError(s.err().message.c_str());
        return;
    }
    ledger_writer_options wo;
    wo.metrics = &metrics;
    ledger_writer writer(std::move(*s), wo);
    gw::gateway_accounting acc(cfg, &budgets, &writer, &metrics);
    auto inner = std::make_shared<null_observer>();

    const int64_t rate = state.range(0);
    const auto interval = rate > 0 ? std::chrono::nanoseconds(1'000'000'000 / rate) : std::chrono::nanoseconds(0);
    std::vector<double> samples;
    samples.reserve(1'000'000);
    uint64_t n = 0;
    auto next = std::chrono::steady_clock::now();
    for (auto _ : state) {
        // what the gateway has before the call: the request's record, its route
        const uint64_t i = n++;
        const bool remote = i % 3 != 0;  // two thirds remote (mid or frontier), one third the SLM
        const char * model = !remote ? "local-3b" : (i % 3 == 1 ? "mid-x" : "frontier-x");
        usage_record rec;
        rec.request_id = "chatcmpl-bench-" + std::to_string(i);
        rec.time_ms = 1'795'564'800'000 + static_cast<int64_t>(i);
        rec.key_id = "key_" + std::to_string(i % 50);
        rec.team = "team-" + std::to_string(i % 5);
        rec.route = "pinned";
        rec.route_reason = model;
        rec.model = model;
        auto route = std::make_shared<gw::response_route>();
        route->model = model;
        route->tier = remote ? "mid" : "slm";
        route->route = "pinned:" + std::string(model);
        tiergate::providers::attempt_record attempt;
        attempt.model = model;
        attempt.latency_ms = 80;
        tiergate::generation_delta delta;
        delta.content = "Once";
        tiergate::generation_end end;
        end.finish_reason = "stop";
        end.model = model;
        end.tokens.prompt_tokens = 350;
        end.tokens.completion_tokens = 120;
        if (rate > 0) {
            next += interval;
            while (std::chrono::steady_clock::now() < next) {
            }
        }

        const auto t0 = std::chrono::steady_clock::now();
        auto d = budgets.reserve({rec.key_id, rec.team, 0.01, 470, 0});
        if (!d || d->verdict != budget_verdict::allowed) {
            state.SkipWithError("the reservation was refused");
            break;
        }
        auto observer = std::make_shared<gw::accounted_observer>(inner, acc, std::move(rec), std::move(d->held), route, t0);
        observer->on_delta(std::move(delta));
        if (remote) {
            observer->on_attempt(attempt);
        }
        observer->on_end(std::move(end));
        observer.reset();
        const auto t1 = std::chrono::steady_clock::now();
        samples.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    writer.shutdown();
    report_latencies(state, samples);
    state.counters["written"] = static_cast<double>(writer.stats().written);
    state.counters["blocked_submits"] = static_cast<double>(writer.stats().blocked_submits);
}

#endif  // TIERGATE_BENCH_GATEWAY

}  // namespace

#ifdef TIERGATE_BENCH_GATEWAY
BENCHMARK(accounting)->Arg(20'000)->Iterations(100'000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(accounting)->Arg(0)->Iterations(200'000)->Unit(benchmark::kMicrosecond)->UseRealTime();
#endif
BENCHMARK(submit_latency)->Iterations(200'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(submit_latency_paced)->Arg(20'000)->Iterations(100'000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(sqlite_throughput)->Arg(200'000)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK(postgresql_throughput)->Arg(50'000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
