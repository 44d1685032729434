// Latency of the learned router's decision (features + per-model scores +
// pick) on real prompts: held-out MMLU (2 models) and RouterBench (11 models)
// prompts. The routers are trained at start-up on the train splits, or
// loaded from TIERGATE_ROUTER_FILE (MMLU) and TIERGATE_ROUTERBENCH_ROUTER_FILE.

#include "eval/routing_data.h"
#include "eval/routing_split.h"
#include "eval/routing_train.h"
#include "router/learned_router.h"
#include "router/router_file.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

using namespace tiergate;

struct fixture {
    std::unique_ptr<router::learned_router> router;
    std::vector<std::string> prompts;  // test split
};

fixture make_fixture(const std::string & data_path, const char * router_env,
                     const std::vector<eval::cost_override> & costs) {
    fixture f;
    const std::vector<std::string> paths = {data_path};
    auto data = eval::load_routing_data(paths);
    if (!data) {
        std::fprintf(stderr, "router_bench: %s\n", data.err().message.c_str());
        std::exit(1);
    }
    router::router_model model;
    if (const char * file = std::getenv(router_env); file != nullptr && *file != '\0') {
        auto loaded = router::load_router(file);
        if (!loaded) {
            std::fprintf(stderr, "router_bench: %s\n", loaded.err().message.c_str());
            std::exit(1);
        }
        model = std::move(*loaded);
    } else {
        auto trained = eval::train_on_data(*data, eval::data_split::train, costs, {});
        if (!trained) {
            std::fprintf(stderr, "router_bench: %s\n", trained.err().message.c_str());
            std::exit(1);
        }
        model = std::move(*trained);
    }
    f.router = std::make_unique<router::learned_router>(std::move(model));
    for (const auto & s : eval::select_split(*data, eval::data_split::test).samples) {
        f.prompts.push_back(s.prompt);
    }
    return f;
}

const fixture & mmlu() {
    static const fixture f = make_fixture(std::string(TIERGATE_SHARED_DIR) + "/data/routing/routellm",
                                          "TIERGATE_ROUTER_FILE",
                                          {{"mistralai/Mixtral-8x7B-Instruct-v0.1", 0.0002},
                                           {"gpt-4-1106-preview", 0.003}});
    return f;
}

const fixture & routerbench() {
    static const fixture f = make_fixture(std::string(TIERGATE_SHARED_DIR) + "/data/routing/routerbench",
                                          "TIERGATE_ROUTERBENCH_ROUTER_FILE", {});
    return f;
}

// Each iteration routes the next held-out prompt; the counters give the
// percentiles of single decisions measured with steady_clock.
void route_prompts(benchmark::State & state, const fixture & f) {
    std::vector<float> scratch(f.router->model_count());
    std::vector<double> micros;
    micros.reserve(1 << 16);
    size_t i = 0;
    size_t bytes = 0;
    for (auto _ : state) {
        const std::string & prompt = f.prompts[i];
        const auto start = std::chrono::steady_clock::now();
        const router::route_decision decision = f.router->route(prompt, scratch);
        const auto end = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(decision);
        if (micros.size() < micros.capacity()) {
            micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
        }
        bytes += prompt.size();
        i = i + 1 == f.prompts.size() ? 0 : i + 1;
    }
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
    if (!micros.empty()) {
        std::sort(micros.begin(), micros.end());
        auto at = [&](double q) { return micros[static_cast<size_t>(q * static_cast<double>(micros.size() - 1))]; };
        state.counters["p50_us"] = at(0.50);
        state.counters["p99_us"] = at(0.99);
        state.counters["max_us"] = micros.back();
        state.counters["prompts"] = static_cast<double>(f.prompts.size());
    }
}

void bm_route_mmlu(benchmark::State & state) { route_prompts(state, mmlu()); }
void bm_route_routerbench(benchmark::State & state) { route_prompts(state, routerbench()); }

void bm_pick_only(benchmark::State & state) {
    const fixture & f = routerbench();
    std::vector<float> scores(f.router->model_count());
    f.router->predict(f.prompts.front(), scores);
    for (auto _ : state) {
        benchmark::DoNotOptimize(f.router->pick(scores));
    }
}

BENCHMARK(bm_route_mmlu)->MinTime(2.0);
BENCHMARK(bm_route_routerbench)->MinTime(2.0);
BENCHMARK(bm_pick_only);

}  // namespace

BENCHMARK_MAIN();
