// Admin API reads over a SQLite ledger of N requests spread over one day:
// what the dashboard's overview (sums per tier), the per-minute time series
// by team (sums per minute and team), one filtered ledger page (the newest 50
// of one team), and the pages that still read every row of the period
// (routing: rows with their attempts) cost at each size. The server answers them on the
// admin API's own thread; this is the time a reader waits.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "admin/ledger_view.h"
#include "admin/overview_view.h"
#include "admin/period.h"
#include "admin/routing_view.h"
#include "admin/series_view.h"
#include "ledger/store.h"

using namespace tiergate;

namespace {

constexpr int64_t day_start = 1'796'601'600'000;  // 2026-12-07T00:00:00Z
constexpr int64_t day_ms = 86'400'000;

ledger::usage_record make_record(int64_t n, int64_t total) {
    ledger::usage_record r;
    r.request_id = "chatcmpl-" + std::to_string(n);
    r.time_ms = day_start + n * day_ms / total;
    r.key_id = "key_" + std::to_string(n % 50);
    r.team = "team-" + std::to_string(n % 7);
    r.route = n % 3 == 0 ? "learned" : "rule";
    r.route_reason = "p=0.41";
    const bool remote = n % 10 == 0;
    ledger::attempt_record a;
    a.model = remote ? "frontier-x" : "local-3b";
    a.provider = remote ? "openai" : "local";
    a.tier_used = remote ? ledger::tier::frontier : ledger::tier::slm;
    a.input_tokens = 350;
    a.output_tokens = 120;
    a.cost_usd = remote ? 0.0045 : 0.0;
    a.latency_ms = remote ? 900 : 85;
    a.ttft_ms = remote ? 400 : 42;
    r.attempts.push_back(a);
    r.counterfactual_cost_usd = 0.0045;
    r.total_from_attempts();
    return r;
}

// One ledger file per size, written once per process.
ledger::store & ledger_of(int64_t rows) {
    static std::map<int64_t, std::unique_ptr<ledger::store>> stores;
    auto & s = stores[rows];
    if (!s) {
        const auto path = std::filesystem::temp_directory_path() / ("tiergate_admin_bench_" + std::to_string(rows) + ".db");
        for (const char * suffix : {"", "-wal", "-shm"}) {
            std::filesystem::remove(path.string() + suffix);
        }
        auto opened = ledger::open_store("sqlite:" + path.string());
        if (!opened) {
            std::abort();
        }
        s = std::move(*opened);
        std::vector<ledger::usage_record> batch;
        for (int64_t n = 0; n < rows; ++n) {
            batch.push_back(make_record(n, rows));
            if (batch.size() == 5000 || n + 1 == rows) {
                if (!s->write(batch)) {
                    std::abort();
                }
                batch.clear();
            }
        }
    }
    return *s;
}

admin::period whole_day(const char * bucket, int64_t bucket_ms) {
    admin::period p;
    p.from_ms = day_start;
    p.to_ms = day_start + day_ms;
    p.bucket = bucket;
    p.bucket_ms = bucket_ms;
    return p;
}

void overview(benchmark::State & state) {
    auto & store = ledger_of(state.range(0));
    const auto p = whole_day("hour", 3'600'000);
    for (auto _ : state) {
        auto totals = store.totals({p.from_ms, p.to_ms, 0, 0, ledger::usage_group::tier});
        benchmark::DoNotOptimize(admin::overview_view(*totals, p, {0.7, 0.2, 0.1}).size());
    }
    state.counters["rows"] = static_cast<double>(state.range(0));
}

void timeseries_by_minute(benchmark::State & state) {
    auto & store = ledger_of(state.range(0));
    const auto p = whole_day("minute", 60'000);
    for (auto _ : state) {
        auto totals = store.totals(admin::series_query(p, ledger::usage_group::team));
        benchmark::DoNotOptimize(admin::series_view(*totals, p, ledger::usage_group::team).size());
    }
}

void ledger_page(benchmark::State & state) {
    auto & store = ledger_of(state.range(0));
    const auto p = whole_day("hour", 3'600'000);
    auto q = admin::read_ledger_query({{"team", "team-3"}, {"limit", "50"}}, p);
    for (auto _ : state) {
        auto rows = store.newest(*q);
        benchmark::DoNotOptimize(admin::ledger_view(*rows, *q).size());
    }
}

void routing_rows(benchmark::State & state) {
    auto & store = ledger_of(state.range(0));
    const auto p = whole_day("hour", 3'600'000);
    for (auto _ : state) {
        auto rows = store.read(p.from_ms, p.to_ms, true);
        benchmark::DoNotOptimize(admin::routing_view(*rows, p).size());
    }
}

}  // namespace

BENCHMARK(overview)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(timeseries_by_minute)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(ledger_page)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(routing_rows)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_MAIN();
