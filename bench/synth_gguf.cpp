// synth_gguf: writes a llama-architecture GGUF with deterministic random weights in the
// shape of a real small language model, with the tokenizer of an existing GGUF file.
//
//   synth_gguf --shape 135m|0.5b --vocab ggml-vocab-*.gguf --out model.gguf
//              [--type f16|f32] [--seed N] [--ctx N] [--std X]
//
// Shapes (dimensions of the published models, in the llama architecture):
//   135m  SmolLM-135M: 576 wide, 30 layers, 9 heads (3 KV), FFN 1536, tied embeddings;
//         its 49152-token BPE vocabulary matches ggml-vocab-starcoder.gguf in size
//   0.5b  Qwen2.5-0.5B: 896 wide, 24 layers, 14 heads (2 KV), FFN 4864, tied embeddings;
//         use ggml-vocab-qwen2.gguf (151936 tokens with padding in the real model)
// The vocabulary file decides n_vocab, so the parameter count follows the vocabulary given.
//
// The weights are normal(0, std) (default 0.02), the norm weights are 1: activations stay
// finite and the model generates (meaningless) tokens at the speed of a real model of that
// shape. The output can be quantized with `llama-quantize in.gguf out.gguf Q4_K_M`.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "ggml.h"
#include "gguf.h"

namespace {

struct model_shape {
    const char * name;
    int64_t n_embd;
    int64_t n_layer;
    int64_t n_head;
    int64_t n_head_kv;
    int64_t n_ff;
    bool tied;  // the output projection is the token embedding (no output.weight)
};

const model_shape shapes[] = {
    {"135m", 576, 30, 9, 3, 1536, true},
    {"0.5b", 896, 24, 14, 2, 4864, true},
};

struct rng {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
};

uint64_t hash_name(const char * s, uint64_t seed) {
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (; *s != '\0'; ++s) {
        h = (h ^ static_cast<unsigned char>(*s)) * 1099511628211ULL;
    }
    return h;
}

void fill_normal(std::vector<float> & v, float std_dev, uint64_t seed) {
    rng r{seed};
    const double two_pi = 6.283185307179586;
    for (size_t i = 0; i < v.size(); i += 2) {
        const double u1 = r.uniform();
        const double u2 = r.uniform();
        const double mag = std_dev * std::sqrt(-2.0 * std::log(u1));
        v[i] = static_cast<float>(mag * std::cos(two_pi * u2));
        if (i + 1 < v.size()) {
            v[i + 1] = static_cast<float>(mag * std::sin(two_pi * u2));
        }
    }
}

bool copy_key(gguf_context * dst, const gguf_context * src, int64_t id) {
    const char * key = gguf_get_key(src, id);
    switch (gguf_get_kv_type(src, id)) {
        case GGUF_TYPE_UINT8: gguf_set_val_u8(dst, key, gguf_get_val_u8(src, id)); break;
        case GGUF_TYPE_INT8: gguf_set_val_i8(dst, key, gguf_get_val_i8(src, id)); break;
        case GGUF_TYPE_UINT16: gguf_set_val_u16(dst, key, gguf_get_val_u16(src, id)); break;
        case GGUF_TYPE_INT16: gguf_set_val_i16(dst, key, gguf_get_val_i16(src, id)); break;
        case GGUF_TYPE_UINT32: gguf_set_val_u32(dst, key, gguf_get_val_u32(src, id)); break;
        case GGUF_TYPE_INT32: gguf_set_val_i32(dst, key, gguf_get_val_i32(src, id)); break;
        case GGUF_TYPE_FLOAT32: gguf_set_val_f32(dst, key, gguf_get_val_f32(src, id)); break;
        case GGUF_TYPE_UINT64: gguf_set_val_u64(dst, key, gguf_get_val_u64(src, id)); break;
        case GGUF_TYPE_INT64: gguf_set_val_i64(dst, key, gguf_get_val_i64(src, id)); break;
        case GGUF_TYPE_FLOAT64: gguf_set_val_f64(dst, key, gguf_get_val_f64(src, id)); break;
        case GGUF_TYPE_BOOL: gguf_set_val_bool(dst, key, gguf_get_val_bool(src, id)); break;
        case GGUF_TYPE_STRING: gguf_set_val_str(dst, key, gguf_get_val_str(src, id)); break;
        case GGUF_TYPE_ARRAY: {
            const gguf_type at = gguf_get_arr_type(src, id);
            const size_t n = gguf_get_arr_n(src, id);
            if (at == GGUF_TYPE_STRING) {
                std::vector<const char *> strs(n);
                for (size_t i = 0; i < n; ++i) {
                    strs[i] = gguf_get_arr_str(src, id, i);
                }
                gguf_set_arr_str(dst, key, strs.data(), n);
            } else if (at == GGUF_TYPE_ARRAY) {
                return false;
            } else {
                gguf_set_arr_data(dst, key, at, gguf_get_arr_data(src, id), n);
            }
            break;
        }
        default: return false;
    }
    return true;
}

int64_t vocab_size(const gguf_context * vocab) {
    const int64_t id = gguf_find_key(vocab, "tokenizer.ggml.tokens");
    return id < 0 ? 0 : static_cast<int64_t>(gguf_get_arr_n(vocab, id));
}

void usage() {
    std::fprintf(stderr,
                 "usage: synth_gguf --shape 135m|0.5b --vocab VOCAB.gguf --out OUT.gguf\n"
                 "                  [--type f16|f32] [--seed N] [--ctx N] [--std X]\n");
}

}  // namespace

int main(int argc, char ** argv) {
    std::string shape_name = "135m";
    std::string vocab_path;
    std::string out_path;
    std::string type_name = "f16";
    uint64_t seed = 42;
    int64_t n_ctx = 2048;
    float std_dev = 0.02f;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char * {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--shape") shape_name = value();
        else if (a == "--vocab") vocab_path = value();
        else if (a == "--out") out_path = value();
        else if (a == "--type") type_name = value();
        else if (a == "--seed") seed = std::strtoull(value(), nullptr, 10);
        else if (a == "--ctx") n_ctx = std::strtoll(value(), nullptr, 10);
        else if (a == "--std") std_dev = std::strtof(value(), nullptr);
        else {
            usage();
            return 2;
        }
    }
    const model_shape * shape = nullptr;
    for (const auto & s : shapes) {
        if (shape_name == s.name) shape = &s;
    }
    if (shape == nullptr || vocab_path.empty() || out_path.empty() || (type_name != "f16" && type_name != "f32") ||
        n_ctx <= 0 || !(std_dev > 0.0f)) {
        usage();
        return 2;
    }
    const ggml_type wtype = type_name == "f16" ? GGML_TYPE_F16 : GGML_TYPE_F32;

    gguf_init_params vp = {/*no_alloc =*/true, /*ctx =*/nullptr};
    gguf_context * vocab = gguf_init_from_file(vocab_path.c_str(), vp);
    if (vocab == nullptr) {
        std::fprintf(stderr, "synth_gguf: cannot read %s\n", vocab_path.c_str());
        return 1;
    }
    const int64_t n_vocab = vocab_size(vocab);
    if (n_vocab <= 0) {
        std::fprintf(stderr, "synth_gguf: %s has no tokenizer.ggml.tokens\n", vocab_path.c_str());
        return 1;
    }

    const int64_t n_embd = shape->n_embd;
    const int64_t head_dim = n_embd / shape->n_head;
    const int64_t n_embd_kv = head_dim * shape->n_head_kv;

    gguf_context * out = gguf_init_empty();
    gguf_set_val_str(out, "general.architecture", "llama");
    gguf_set_val_str(out, "general.name", ("synthetic-llama-" + shape_name).c_str());
    gguf_set_val_u32(out, "general.file_type", wtype == GGML_TYPE_F16 ? 1 : 0);
    gguf_set_val_u32(out, "llama.context_length", static_cast<uint32_t>(n_ctx));
    gguf_set_val_u32(out, "llama.embedding_length", static_cast<uint32_t>(n_embd));
    gguf_set_val_u32(out, "llama.block_count", static_cast<uint32_t>(shape->n_layer));
    gguf_set_val_u32(out, "llama.feed_forward_length", static_cast<uint32_t>(shape->n_ff));
    gguf_set_val_u32(out, "llama.attention.head_count", static_cast<uint32_t>(shape->n_head));
    gguf_set_val_u32(out, "llama.attention.head_count_kv", static_cast<uint32_t>(shape->n_head_kv));
    gguf_set_val_u32(out, "llama.rope.dimension_count", static_cast<uint32_t>(head_dim));
    gguf_set_val_f32(out, "llama.rope.freq_base", 10000.0f);
    gguf_set_val_f32(out, "llama.attention.layer_norm_rms_epsilon", 1e-5f);
    gguf_set_val_u32(out, "llama.vocab_size", static_cast<uint32_t>(n_vocab));
    int copied = 0;
    for (int64_t id = 0; id < gguf_get_n_kv(vocab); ++id) {
        if (std::strncmp(gguf_get_key(vocab, id), "tokenizer.", 10) == 0 && copy_key(out, vocab, id)) {
            ++copied;
        }
    }

    // tensor descriptions only: the data is generated and written one tensor at a time
    const size_t n_tensors = 3 + 9 * static_cast<size_t>(shape->n_layer);  // at most
    ggml_init_params gp = {/*mem_size =*/ggml_tensor_overhead() * (n_tensors + 1), /*mem_buffer =*/nullptr,
                           /*no_alloc =*/true};
    ggml_context * meta = ggml_init(gp);
    std::vector<ggml_tensor *> tensors;
    auto add = [&](const std::string & name, ggml_type type, int64_t ne0, int64_t ne1) {
        ggml_tensor * t = ne1 == 0 ? ggml_new_tensor_1d(meta, type, ne0) : ggml_new_tensor_2d(meta, type, ne0, ne1);
        ggml_set_name(t, name.c_str());
        gguf_add_tensor(out, t);
        tensors.push_back(t);
    };
    add("token_embd.weight", wtype, n_embd, n_vocab);
    for (int64_t l = 0; l < shape->n_layer; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        add(p + "attn_norm.weight", GGML_TYPE_F32, n_embd, 0);
        add(p + "attn_q.weight", wtype, n_embd, n_embd);
        add(p + "attn_k.weight", wtype, n_embd, n_embd_kv);
        add(p + "attn_v.weight", wtype, n_embd, n_embd_kv);
        add(p + "attn_output.weight", wtype, n_embd, n_embd);
        add(p + "ffn_norm.weight", GGML_TYPE_F32, n_embd, 0);
        add(p + "ffn_gate.weight", wtype, n_embd, shape->n_ff);
        add(p + "ffn_up.weight", wtype, n_embd, shape->n_ff);
        add(p + "ffn_down.weight", wtype, shape->n_ff, n_embd);
    }
    add("output_norm.weight", GGML_TYPE_F32, n_embd, 0);
    if (!shape->tied) {
        add("output.weight", wtype, n_embd, n_vocab);
    }

    FILE * f = std::fopen(out_path.c_str(), "wb");
    if (f == nullptr) {
        std::fprintf(stderr, "synth_gguf: cannot write %s\n", out_path.c_str());
        return 1;
    }
    if (!gguf_write_to_file_ptr(out, f, /*only_meta =*/true)) {
        std::fprintf(stderr, "synth_gguf: writing the header failed\n");
        return 1;
    }
    const size_t alignment = gguf_get_alignment(out);
    int64_t n_params = 0;
    std::vector<float> values;
    std::vector<ggml_fp16_t> halves;
    const std::vector<char> zeros(alignment, 0);
    for (ggml_tensor * t : tensors) {
        const int64_t n = ggml_nelements(t);
        n_params += n;
        values.resize(static_cast<size_t>(n));
        if (std::strstr(ggml_get_name(t), "norm") != nullptr) {
            std::fill(values.begin(), values.end(), 1.0f);
        } else {
            fill_normal(values, std_dev, hash_name(ggml_get_name(t), seed));
        }
        const void * data = values.data();
        if (t->type == GGML_TYPE_F16) {
            halves.resize(values.size());
            ggml_fp32_to_fp16_row(values.data(), halves.data(), n);
            data = halves.data();
        }
        const size_t nbytes = ggml_nbytes(t);
        if (std::fwrite(data, 1, nbytes, f) != nbytes) {
            std::fprintf(stderr, "synth_gguf: writing %s failed\n", ggml_get_name(t));
            return 1;
        }
        const size_t pad = GGML_PAD(nbytes, alignment) - nbytes;
        if (pad > 0) {
            std::fwrite(zeros.data(), 1, pad, f);
        }
    }
    if (std::fclose(f) != 0) {
        std::fprintf(stderr, "synth_gguf: closing %s failed\n", out_path.c_str());
        return 1;
    }
    std::printf("%s: llama %s, %lld parameters, n_vocab %lld (%d tokenizer keys from %s), %s\n", out_path.c_str(),
                shape_name.c_str(), static_cast<long long>(n_params), static_cast<long long>(n_vocab), copied,
                vocab_path.c_str(), type_name.c_str());
    ggml_free(meta);
    gguf_free(out);
    gguf_free(vocab);
    return 0;
}
