// Latency of the routing decision without generation, on held-out MMLU
// prompts (RouteLLM data), timed singly with steady_clock:
//   plan      router::route_planner::plan: constraints, four rules (header,
//             keywords, regex, prompt length; none matches), the learned
//             router (trained here on the train split, 2 models) and the cascade
//   guard     gateway::guard_call: scan every message, egress and on-prem texts
//   explain   gateway::gateway::explain: guard + plan + the JSON decision,
//             what POST /v1/route does after parsing
// Usage: gateway_bench [PROMPTS]   (default: every test-split prompt)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "config/load_config.h"
#include "eval/routing_data.h"
#include "eval/routing_split.h"
#include "eval/routing_train.h"
#include "gateway/call_guard.h"
#include "gateway/gateway.h"
#include "gateway/gateway_settings.h"
#include "router/router_file.h"

namespace {

using namespace tiergate;
using steady = std::chrono::steady_clock;

struct stats {
    double p50 = 0, p99 = 0, p999 = 0, mean = 0;
};

stats summarize(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    stats s;
    auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))]; };
    s.p50 = at(0.50);
    s.p99 = at(0.99);
    s.p999 = at(0.999);
    for (double x : v) {
        s.mean += x;
    }
    s.mean /= v.size();
    return s;
}

const char * config_yaml = R"(
models:
  - name: slm
    provider: local
    tier: slm
    path: stories260K.gguf
    capabilities: [logprobs, json_schema]
  - name: frontier
    provider: openai_compatible
    endpoint: https://api.example.com/v1
    tier: frontier
    residency: external
    price: { input_per_mtok: 10, output_per_mtok: 30 }
router:
  rules:
    - { name: vip, when: { header: { x-user-tier: vip } }, to: { tier: frontier } }
    - { name: legal, when: { keywords: [lawsuit, subpoena, indemnify] }, to: { tier: frontier } }
    - { name: sql, when: { regex: "(?i)\\bselect\\b.+\\bfrom\\b.+\\bwhere\\b" }, to: { tier: frontier } }
    - { name: huge, when: { min_prompt_tokens: 100000 }, to: { tier: frontier } }
  learned:
    file: ROUTER_FILE
    models: { "mistralai/Mixtral-8x7B-Instruct-v0.1": slm, "gpt-4-1106-preview": frontier }
  cascade: { from: slm, to: frontier, min_mean_logprob: -1.5 }
)";

}  // namespace

int main(int argc, char ** argv) {
    const std::string data_dir = TIERGATE_SHARED_DIR "/data/routing/routellm";
    const std::vector<std::string> paths = {data_dir};
    auto data = eval::load_routing_data(paths);
    if (!data) {
        std::fprintf(stderr, "gateway_bench: %s\n", data.err().message.c_str());
        return 1;
    }
    const std::vector<eval::cost_override> costs = {{"mistralai/Mixtral-8x7B-Instruct-v0.1", 0.0002},
                                                    {"gpt-4-1106-preview", 0.003}};
    auto model = eval::train_on_data(*data, eval::data_split::train, costs, {});
    if (!model) {
        std::fprintf(stderr, "gateway_bench: %s\n", model.err().message.c_str());
        return 1;
    }
    const std::string router_file = "/tmp/tiergate-gateway-bench.router";
    if (!router::save_router(*model, router_file)) {
        return 1;
    }
    std::string yaml = std::string("model_dir: " TIERGATE_SHARED_DIR "/models\n") + config_yaml;
    yaml.replace(yaml.find("ROUTER_FILE"), 11, router_file);
    auto loaded = config::load_config_text(yaml, "bench.yaml", "/tmp", config::fixed_env({}));
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s", loaded.errors_text().c_str());
        return 1;
    }
    const config::config & cfg = *loaded.value;
    config::config_errors errors("bench.yaml");
    auto settings = gateway::read_gateway_settings(cfg, errors);
    if (!errors.empty()) {
        std::fprintf(stderr, "%s", errors.to_string().c_str());
        return 1;
    }
    const auto rm = router::route_models(cfg);
    auto learned = std::make_unique<router::learned_router>(std::move(*router::load_router(router_file)));
    router::route_planner planner(settings.route, rm, std::move(learned));

    auto test = eval::select_split(*data, eval::data_split::test);
    size_t n = test.samples.size();
    if (argc > 1) {
        n = std::min(n, static_cast<size_t>(std::atol(argv[1])));
    }
    std::map<std::string, std::string> headers{{"x-user-tier", "standard"}, {"content-type", "application/json"}};

    // plan
    std::vector<double> plan_us;
    size_t to_slm = 0;
    for (size_t i = 0; i < n; ++i) {
        const std::string & prompt = test.samples[i].prompt;
        router::route_request r;
        r.headers = &headers;
        r.conversation_text = prompt;
        r.prompt_text = prompt;
        r.prompt_tokens = static_cast<int64_t>(prompt.size() / 4);
        const auto t0 = steady::now();
        auto d = planner.plan(r);
        plan_us.push_back(std::chrono::duration<double, std::micro>(steady::now() - t0).count());
        to_slm += d.model && *d.model == 0;
    }

    // guard
    auto scanner = guard::scanner::make({}, settings.guard.custom_patterns);
    const auto & policy = settings.guard.policies.at("standard");
    const auto local_policy = gateway::on_prem_variant(policy);
    std::vector<double> guard_us;
    size_t bytes = 0;
    for (size_t i = 0; i < n; ++i) {
        generation_call call;
        call.model = "auto";
        call.messages.push_back({"system", "You are a helpful assistant. Answer with the letter of the right option.", ""});
        call.messages.push_back({"user", test.samples[i].prompt, ""});
        bytes += test.samples[i].prompt.size();
        const auto t0 = steady::now();
        auto g = gateway::guard_call(*scanner, policy, local_policy, call);
        guard_us.push_back(std::chrono::duration<double, std::micro>(steady::now() - t0).count());
        if (!g) {
            continue;
        }
    }

    // explain: the whole decision through the gateway (no providers are called)
    providers::registry registry;
    gateway::gateway_parts parts;
    parts.cfg = &cfg;
    parts.models = &registry;
    parts.planner = std::make_unique<router::route_planner>(
        settings.route, rm, std::make_unique<router::learned_router>(std::move(*router::load_router(router_file))));
    parts.scanner = std::make_unique<guard::scanner>(std::move(*guard::scanner::make({}, {})));
    parts.guard = settings.guard;
    gateway::gateway gate(std::move(parts));
    std::vector<double> explain_us;
    for (size_t i = 0; i < n; ++i) {
        generation_call call;
        call.model = "auto";
        call.messages.push_back({"user", test.samples[i].prompt, ""});
        gateway::request_context ctx;
        ctx.request_id = "bench";
        ctx.headers = &headers;
        const auto t0 = steady::now();
        auto j = gate.explain(ctx, call);
        explain_us.push_back(std::chrono::duration<double, std::micro>(steady::now() - t0).count());
        if (!j) {
            std::fprintf(stderr, "explain failed: %s\n", j.err().message.c_str());
            return 1;
        }
    }

    std::printf("prompts: %zu held-out MMLU prompts, mean %.0f bytes; %.1f%% routed to the SLM\n", n,
                static_cast<double>(bytes) / n, 100.0 * to_slm / n);
    std::printf("%-8s %10s %10s %10s %10s\n", "step", "mean_us", "p50_us", "p99_us", "p99.9_us");
    for (auto [name, v] : {std::pair{"plan", &plan_us}, {"guard", &guard_us}, {"explain", &explain_us}}) {
        auto s = summarize(*v);
        std::printf("%-8s %10.1f %10.1f %10.1f %10.1f\n", name, s.mean, s.p50, s.p99, s.p999);
    }
    return 0;
}
