#include "plan/memory_plan.h"

#include <gtest/gtest.h>
#include <llama.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace tiergate::plan;

namespace {

uint64_t rss_bytes() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
        }
    }
    return 0;
}

// Loads the model with the parameters engine/model_host.cpp uses and returns
// the RSS growth from before the load to after the context is created.
uint64_t measured_growth(const std::string & path, int ctx, int parallel) {
    const uint64_t before = rss_bytes();
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    llama_model * model = llama_model_load_from_file(path.c_str(), mp);
    EXPECT_NE(model, nullptr);
    if (model == nullptr) {
        return 0;
    }
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = static_cast<uint32_t>(ctx * parallel);
    cp.n_batch = static_cast<uint32_t>(std::max(512, parallel));
    cp.n_ubatch = cp.n_batch;
    cp.n_seq_max = static_cast<uint32_t>(parallel);
    cp.kv_unified = true;
    cp.no_perf = true;
    llama_context * ctx_ptr = llama_init_from_model(model, cp);
    EXPECT_NE(ctx_ptr, nullptr);
    const uint64_t after = rss_bytes();
    llama_free(ctx_ptr);
    llama_model_free(model);
    return after - before;
}

void check(const std::string & name, int ctx, int parallel) {
    // Freed model memory stays with the allocator: measure once per process
    // (ctest runs every test in its own process).
    static bool measured_before = false;
    if (measured_before) {
        GTEST_SKIP() << "one measurement per process; run through ctest or with --gtest_filter";
    }
    measured_before = true;
    llama_log_set([](ggml_log_level, const char *, void *) {}, nullptr);
    const std::string path = std::string(TIERGATE_SHARED_DIR) + "/models/" + name;
    auto file = read_gguf(path);
    ASSERT_TRUE(file) << file.err().message;
    auto plan = plan_memory(*file, {ctx, parallel, "f16"});
    ASSERT_TRUE(plan) << plan.err().message;
    const double estimate = static_cast<double>(plan->resident_after_load - plan->baseline_bytes);
    const double measured = static_cast<double>(measured_growth(path, ctx, parallel));
    std::printf("%s ctx %d parallel %d: measured RSS growth %.0f bytes, estimate %.0f bytes (%+.1f%%)\n", name.c_str(),
                ctx, parallel, measured, estimate, 100.0 * (estimate - measured) / measured);
    // within 10%, or 1 MiB for the smallest cases, where page and allocator
    // granularity alone move RSS by that much
    EXPECT_NEAR(estimate, measured, std::max(0.10 * measured, 1048576.0))
        << name << " ctx " << ctx << " parallel " << parallel;
}

}  // namespace

TEST(memory_plan_rss, stories260k_ctx512) {
    check("stories260K.gguf", 512, 1);
}

TEST(memory_plan_rss, stories260k_ctx2048_parallel4) {
    check("stories260K.gguf", 2048, 4);
}

TEST(memory_plan_rss, stories260k_ctx4096) { check("stories260K.gguf", 4096, 1); }
TEST(memory_plan_rss, stories260k_ctx1024_parallel2) { check("stories260K.gguf", 1024, 2); }
TEST(memory_plan_rss, llama2_tiny_ctx512) { check("llama-2-tiny-random.gguf", 512, 1); }
TEST(memory_plan_rss, llama2_tiny_ctx2048_parallel4) { check("llama-2-tiny-random.gguf", 2048, 4); }
TEST(memory_plan_rss, llama2_tiny_ctx4096) { check("llama-2-tiny-random.gguf", 4096, 1); }

TEST(memory_plan_rss, llama2_tiny_ctx1024_parallel2) {
    check("llama-2-tiny-random.gguf", 1024, 2);
}
