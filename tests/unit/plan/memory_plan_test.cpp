#include "plan/memory_plan.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace tiergate::plan;

namespace {

gguf_file stories() {
    auto f = read_gguf(std::string(TIERGATE_SHARED_DIR) + "/models/stories260K.gguf");
    EXPECT_TRUE(f) << f.err().message;
    return *f;
}

}  // namespace

TEST(memory_plan, stories260k_is_sane) {
    const auto f = stories();
    auto p = plan_memory(f, {512, 1, "f16"});
    ASSERT_TRUE(p) << p.err().message;
    EXPECT_EQ(p->n_layer, 5u);
    EXPECT_EQ(p->n_vocab, 512u);
    EXPECT_EQ(p->kv_cells, 512u);
    EXPECT_EQ(p->weight_bytes, 1'171'200u);
    uint64_t by_type = 0;
    for (const auto & u : p->weights_by_type) {
        by_type += u.bytes;
    }
    EXPECT_EQ(by_type, p->weight_bytes);
    // 5 layers x 512 cells x (4 kv heads x 8 dims... = 64 values) x 2 bytes, for K and V:
    // llama.cpp reports "K (f16): 0.16 MiB, V (f16): 0.16 MiB".
    EXPECT_EQ(p->kv_k_bytes, 163'840u);
    EXPECT_EQ(p->kv_v_bytes, 163'840u);
    EXPECT_EQ(p->resident_after_load, p->baseline_bytes + p->runtime_bytes + p->weight_bytes + p->vocab_bytes +
                                          p->kv_bytes + p->output_buffer_bytes + p->context_bytes);
    EXPECT_EQ(p->peak, p->resident_after_load + p->compute_buffer_bytes);
    EXPECT_GT(p->resident_after_load, 5'000'000u);
    EXPECT_LT(p->resident_after_load, 20'000'000u);
}

TEST(memory_plan, kv_cache_scales_with_context_parallel_and_type) {
    const auto f = stories();
    auto one = plan_memory(f, {2048, 1, "f16"});
    auto four = plan_memory(f, {2048, 4, "f16"});
    auto q8 = plan_memory(f, {2048, 4, "q8_0"});
    ASSERT_TRUE(one && four && q8);
    EXPECT_EQ(four->kv_cells, 8192u);
    EXPECT_EQ(four->kv_bytes, 4 * one->kv_bytes);
    // llama.cpp reports 5.00 MiB for 8192 cells.
    EXPECT_EQ(four->kv_bytes, 5u * 1024 * 1024);
    EXPECT_EQ(q8->kv_bytes, four->kv_bytes / 64 * 34);
    EXPECT_GT(four->compute_buffer_bytes, one->compute_buffer_bytes);
    // Padding to 256 cells.
    auto odd = plan_memory(f, {300, 1, "f16"});
    ASSERT_TRUE(odd);
    EXPECT_EQ(odd->kv_cells, 512u);
    // Default context: the training context, at most 4096.
    auto dflt = plan_memory(f, {0, 1, "f16"});
    ASSERT_TRUE(dflt);
    EXPECT_EQ(dflt->ctx_per_slot, std::min<uint64_t>(dflt->n_ctx_train, 4096));
}

TEST(memory_plan, rejects_bad_options) {
    const auto f = stories();
    EXPECT_FALSE(plan_memory(f, {512, 0, "f16"}));
    EXPECT_FALSE(plan_memory(f, {-1, 1, "f16"}));
    auto bad = plan_memory(f, {512, 1, "q6_K"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.err().param, "kv-type");
    gguf_file empty;
    EXPECT_FALSE(plan_memory(empty, {}));
}

TEST(memory_plan, renders_text_and_json) {
    auto p = plan_memory(stories(), {512, 1, "f16"});
    ASSERT_TRUE(p);
    const auto text = render_memory_plan_text(*p);
    EXPECT_NE(text.find("KV cache"), std::string::npos);
    EXPECT_NE(text.find("total after load"), std::string::npos);
    const auto j = nlohmann::json::parse(render_memory_plan_json(*p));
    EXPECT_EQ(j["bytes"]["total_after_load"].get<uint64_t>(), p->resident_after_load);
    EXPECT_EQ(j["weights_by_type"].size(), p->weights_by_type.size());
    EXPECT_EQ(format_bytes(1536), "1.50 KiB");
    EXPECT_EQ(format_bytes(17), "17 B");
}
