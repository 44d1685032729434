#include "plan/memory_plan.h"

#include "plan/ggml_type_info.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace tiergate::plan {

namespace {

constexpr uint64_t kv_pad = 256;
constexpr uint64_t default_max_ctx = 4096;

// A per-layer hyperparameter stored either as one number or as an array with
// one entry per layer.
std::vector<uint64_t> per_layer(const gguf_file & f, const std::string & key, uint64_t n_layer, uint64_t fallback) {
    std::vector<uint64_t> out(n_layer, fallback);
    if (const auto * arr = f.get_array(key)) {
        for (uint64_t i = 0; i < n_layer && i < arr->numbers.size(); ++i) {
            out[i] = arr->numbers[i] < 0 ? 0 : static_cast<uint64_t>(arr->numbers[i]);
        }
    } else if (auto v = f.get_uint(key)) {
        std::fill(out.begin(), out.end(), *v);
    }
    return out;
}

}  // namespace

result<memory_plan> plan_memory(const gguf_file & f, const memory_plan_options & options) {
    memory_plan p;
    p.architecture = f.architecture();
    p.model_name = f.get_string("general.name").value_or("");
    if (p.architecture.empty()) {
        return error::invalid("the model has no general.architecture metadata", "model", "invalid_gguf");
    }
    if (options.parallel < 1) {
        return error::invalid("--parallel must be at least 1, got " + std::to_string(options.parallel), "parallel");
    }
    if (options.ctx_per_slot < 0) {
        return error::invalid("--ctx must not be negative, got " + std::to_string(options.ctx_per_slot), "ctx");
    }
    if (options.n_ubatch < 1) {
        return error::invalid("n_ubatch must be at least 1", "n_ubatch");
    }
    const auto kv_type = find_ggml_type(options.kv_type);
    if (!kv_type || (options.kv_type != "f16" && options.kv_type != "f32" && options.kv_type != "bf16" &&
                     options.kv_type != "q8_0" && options.kv_type != "q4_0" && options.kv_type != "q4_1" &&
                     options.kv_type != "q5_0" && options.kv_type != "q5_1" && options.kv_type != "iq4_nl")) {
        return error::invalid("--kv-type '" + options.kv_type + "' is not a KV cache type (f16, q8_0, ...)", "kv-type");
    }
    const std::string a = p.architecture;
    const auto n_layer = f.get_uint(a + ".block_count");
    const auto n_embd = f.get_uint(a + ".embedding_length");
    if (!n_layer || !n_embd || *n_layer == 0 || *n_embd == 0) {
        return error::invalid("the model lacks " + a + ".block_count or " + a + ".embedding_length", "model",
                              "invalid_gguf");
    }
    p.n_layer = *n_layer;
    p.n_embd = *n_embd;
    const auto n_head = per_layer(f, a + ".attention.head_count", p.n_layer, 0);
    const auto n_head_kv = f.metadata.count(a + ".attention.head_count_kv")
                               ? per_layer(f, a + ".attention.head_count_kv", p.n_layer, 0)
                               : n_head;
    const auto n_ff = per_layer(f, a + ".feed_forward_length", p.n_layer, 0);
    const uint64_t head0 = n_head.empty() ? 0 : *std::max_element(n_head.begin(), n_head.end());
    const uint64_t head_dim_default = head0 > 0 ? p.n_embd / head0 : 0;
    const uint64_t k_len = f.get_uint(a + ".attention.key_length").value_or(head_dim_default);
    const uint64_t v_len = f.get_uint(a + ".attention.value_length").value_or(head_dim_default);

    if (const auto * tokens = f.get_array("tokenizer.ggml.tokens")) {
        p.n_vocab = tokens->length;
    } else {
        p.n_vocab = f.get_uint(a + ".vocab_size").value_or(0);
    }
    p.n_ctx_train = f.get_uint(a + ".context_length").value_or(0);

    // weights
    std::map<uint32_t, tensor_type_usage> by_type;
    for (const auto & t : f.tensors) {
        auto & u = by_type[t.type];
        if (u.type.empty()) {
            const auto info = find_ggml_type(t.type);
            u.type = info ? std::string(info->name) : std::to_string(t.type);
        }
        u.tensors += 1;
        u.elements += t.n_elements;
        u.bytes += t.n_bytes;
        p.weight_bytes += t.n_bytes;
        p.n_params += t.n_elements;
    }
    for (auto & [id, u] : by_type) {
        p.weights_by_type.push_back(u);
    }
    std::sort(p.weights_by_type.begin(), p.weights_by_type.end(),
              [](const auto & x, const auto & y) { return x.bytes > y.bytes; });

    // KV cache
    uint64_t ctx = static_cast<uint64_t>(options.ctx_per_slot);
    if (ctx == 0) {
        ctx = p.n_ctx_train > 0 ? std::min(p.n_ctx_train, default_max_ctx) : default_max_ctx;
    }
    ctx = std::max<uint64_t>(ctx, 8);
    p.ctx_per_slot = ctx;
    p.parallel = static_cast<uint64_t>(options.parallel);
    if (ctx > (1ull << 24) || p.parallel > 4096) {
        return error::invalid("--ctx x --parallel is too large", "ctx");
    }
    p.kv_cells = (ctx * p.parallel + kv_pad - 1) / kv_pad * kv_pad;
    for (uint64_t il = 0; il < p.n_layer; ++il) {
        const uint64_t k_row = n_head_kv[il] * k_len;
        const uint64_t v_row = n_head_kv[il] * v_len;
        const auto k_bytes = ggml_row_bytes(*kv_type, k_row);
        const auto v_bytes = ggml_row_bytes(*kv_type, v_row);
        if (!k_bytes || !v_bytes) {
            return error::invalid("--kv-type " + options.kv_type + " needs rows that are a multiple of " +
                                      std::to_string(kv_type->block_elements) + " elements; this model's are " +
                                      std::to_string(k_row),
                                  "kv-type");
        }
        p.kv_k_bytes += *k_bytes * p.kv_cells;
        p.kv_v_bytes += *v_bytes * p.kv_cells;
    }
    p.kv_bytes = p.kv_k_bytes + p.kv_v_bytes;
    if (f.metadata.count(a + ".attention.sliding_window")) {
        p.notes.push_back("the model has sliding-window layers; their KV cache is smaller than estimated here");
    }
    if (f.metadata.count(a + ".ssm.state_size")) {
        p.notes.push_back("the model has recurrent (SSM) layers; their state is not estimated here");
    }
    if (p.n_vocab == 0) {
        p.notes.push_back("the vocabulary size is unknown; logits buffers are not counted");
    }

    // buffers
    const uint64_t ubatch = static_cast<uint64_t>(options.n_ubatch);
    const uint64_t ff_max = n_ff.empty() ? 0 : *std::max_element(n_ff.begin(), n_ff.end());
    p.output_buffer_bytes = p.n_vocab * sizeof(float) * p.parallel;
    p.compute_buffer_bytes = p.n_vocab * ubatch * sizeof(float)      // logits of a full ubatch
                             + p.kv_cells * ubatch * 2                // f16 attention mask
                             + ubatch * sizeof(float) * (p.n_embd + ff_max);  // activations
    p.vocab_bytes = p.n_vocab * vocab_bytes_per_token;
    p.context_bytes = context_fixed_bytes + context_bytes_per_cell * p.kv_cells + context_bytes_per_vocab * p.n_vocab;
    p.runtime_bytes = runtime_init_bytes;
    p.baseline_bytes = baseline_rss_bytes;

    p.resident_after_load = p.baseline_bytes + p.runtime_bytes + p.weight_bytes + p.vocab_bytes + p.kv_bytes +
                            p.output_buffer_bytes + p.context_bytes;
    p.peak = p.resident_after_load + p.compute_buffer_bytes;
    return p;
}

std::string format_bytes(uint64_t bytes) {
    const char * units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    char buf[64];
    if (u == 0) {
        std::snprintf(buf, sizeof(buf), "%llu B", static_cast<unsigned long long>(bytes));
    } else {
        std::snprintf(buf, sizeof(buf), "%.2f %s", v, units[u]);
    }
    return buf;
}

std::string render_memory_plan_text(const memory_plan & p) {
    std::string out;
    char line[256];
    auto row = [&](const char * label, uint64_t bytes, const std::string & detail = {}) {
        std::snprintf(line, sizeof(line), "  %-28s %12s  %s\n", label, format_bytes(bytes).c_str(), detail.c_str());
        out += line;
    };
    out += "model: " + (p.model_name.empty() ? std::string("(unnamed)") : p.model_name) + " (" + p.architecture + ", " +
           std::to_string(p.n_params) + " parameters, " + std::to_string(p.n_layer) + " layers, vocab " +
           std::to_string(p.n_vocab) + ")\n";
    out += "context: " + std::to_string(p.ctx_per_slot) + " tokens per slot x " + std::to_string(p.parallel) +
           " slots = " + std::to_string(p.kv_cells) + " KV cells (padded to 256)\n";
    out += "weights by tensor type:\n";
    for (const auto & u : p.weights_by_type) {
        row(u.type.c_str(), u.bytes, std::to_string(u.tensors) + " tensors, " + std::to_string(u.elements) + " elements");
    }
    out += "memory:\n";
    row("weights", p.weight_bytes);
    row("KV cache", p.kv_bytes, "K " + format_bytes(p.kv_k_bytes) + ", V " + format_bytes(p.kv_v_bytes));
    row("output buffer (logits)", p.output_buffer_bytes);
    row("vocabulary", p.vocab_bytes);
    row("context state", p.context_bytes);
    row("runtime", p.runtime_bytes);
    row("process baseline", p.baseline_bytes);
    row("total after load (RSS)", p.resident_after_load);
    row("compute buffer (512 ubatch)", p.compute_buffer_bytes, "allocated at load, resident once full batches run");
    row("peak under load", p.peak);
    for (const auto & n : p.notes) {
        out += "note: " + n + "\n";
    }
    return out;
}

std::string render_memory_plan_json(const memory_plan & p) {
    nlohmann::json j;
    j["model"] = {{"name", p.model_name}, {"architecture", p.architecture}, {"parameters", p.n_params},
                  {"layers", p.n_layer}, {"embedding", p.n_embd}, {"vocab", p.n_vocab},
                  {"context_train", p.n_ctx_train}};
    j["context"] = {{"per_slot", p.ctx_per_slot}, {"parallel", p.parallel}, {"kv_cells", p.kv_cells}};
    nlohmann::json types = nlohmann::json::array();
    for (const auto & u : p.weights_by_type) {
        types.push_back({{"type", u.type}, {"tensors", u.tensors}, {"elements", u.elements}, {"bytes", u.bytes}});
    }
    j["weights_by_type"] = types;
    j["bytes"] = {{"weights", p.weight_bytes},
                  {"kv_cache", p.kv_bytes},
                  {"kv_k", p.kv_k_bytes},
                  {"kv_v", p.kv_v_bytes},
                  {"output_buffer", p.output_buffer_bytes},
                  {"vocabulary", p.vocab_bytes},
                  {"context_state", p.context_bytes},
                  {"runtime", p.runtime_bytes},
                  {"process_baseline", p.baseline_bytes},
                  {"compute_buffer", p.compute_buffer_bytes},
                  {"total_after_load", p.resident_after_load},
                  {"peak", p.peak}};
    j["notes"] = p.notes;
    return j.dump(2);
}

}  // namespace tiergate::plan
