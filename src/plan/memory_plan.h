#pragma once
// Memory needed to serve a GGUF model in tiergate's engine (llama.cpp v0.5.0,
// CPU, mmap'ed weights, unified KV cache, flash attention on).
//
// The engine creates one llama context with n_ctx = ctx_per_slot * parallel
// (padded to 256 cells), n_seq_max = parallel, n_batch = n_ubatch = 512.
// Two totals are reported:
//  - resident_after_load: the process RSS right after the model is loaded and
//    its context created (weights are paged in, the KV cache is zeroed, the
//    compute buffer is allocated but not yet touched);
//  - peak: resident_after_load plus the whole compute buffer, which becomes
//    resident once full 512-token batches are decoded.
#include "core/error.h"
#include "plan/gguf_reader.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tiergate::plan {

// Measured constants (see docs/finops.md for the measurement):
// RSS of a process linked with llama.cpp before any model is loaded.
inline constexpr uint64_t baseline_rss_bytes = 4'400'000;
// ggml/llama runtime state created by the first model load (backend, tables).
inline constexpr uint64_t runtime_init_bytes = 2'670'000;
// Vocabulary structures per token (text, score, attributes, lookup maps).
inline constexpr uint64_t vocab_bytes_per_token = 155;
// Context state: fixed part, per KV cell (cell metadata) and per vocab entry.
inline constexpr uint64_t context_fixed_bytes = 1'000'000;
inline constexpr uint64_t context_bytes_per_cell = 60;
inline constexpr uint64_t context_bytes_per_vocab = 8;

struct memory_plan_options {
    int64_t ctx_per_slot = 0;  // 0: the model's training context, at most 4096 (the engine's default)
    int64_t parallel = 1;      // slots (sequences) decoded together
    std::string kv_type = "f16";
    int64_t n_ubatch = 512;
};

struct tensor_type_usage {
    std::string type;
    uint64_t tensors = 0;
    uint64_t elements = 0;
    uint64_t bytes = 0;
};

struct memory_plan {
    std::string architecture;
    std::string model_name;
    uint64_t n_params = 0;
    uint64_t n_layer = 0;
    uint64_t n_embd = 0;
    uint64_t n_vocab = 0;
    uint64_t n_ctx_train = 0;
    uint64_t ctx_per_slot = 0;
    uint64_t parallel = 1;
    uint64_t kv_cells = 0;  // n_ctx after padding

    std::vector<tensor_type_usage> weights_by_type;  // largest first
    uint64_t weight_bytes = 0;
    uint64_t kv_k_bytes = 0;
    uint64_t kv_v_bytes = 0;
    uint64_t kv_bytes = 0;
    uint64_t output_buffer_bytes = 0;   // logits for n_seq_max outputs
    uint64_t compute_buffer_bytes = 0;  // graph scratch for one 512-token ubatch (allocated)
    uint64_t vocab_bytes = 0;
    uint64_t context_bytes = 0;
    uint64_t runtime_bytes = 0;         // runtime_init_bytes
    uint64_t baseline_bytes = 0;        // baseline_rss_bytes

    uint64_t resident_after_load = 0;
    uint64_t peak = 0;
    std::vector<std::string> notes;  // assumptions that may make the estimate off for this model
};

result<memory_plan> plan_memory(const gguf_file & file, const memory_plan_options & options);

std::string format_bytes(uint64_t bytes);  // "1.23 GiB", "512 KiB", "17 B"
std::string render_memory_plan_text(const memory_plan & plan);
std::string render_memory_plan_json(const memory_plan & plan);

}  // namespace tiergate::plan
