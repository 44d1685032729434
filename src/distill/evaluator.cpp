#include "distill/evaluator.h"

#include <llama.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <thread>

#include "distill/training_text.h"
#include "engine/llama_backend.h"

namespace tiergate::distill {

namespace {

constexpr size_t short_answer_tokens = 32;

struct handles {
    llama_model * model = nullptr;
    llama_context * ctx = nullptr;
    ~handles() {
        if (ctx) llama_free(ctx);
        if (model) llama_model_free(model);
    }
};

// log p(token) under the logits, and whether the token is their arg-max.
std::pair<double, bool> score(const float * logits, int32_t n_vocab, int32_t token) {
    float max = logits[0];
    int32_t best = 0;
    for (int32_t v = 1; v < n_vocab; ++v) {
        if (logits[v] > max) {
            max = logits[v];
            best = v;
        }
    }
    double sum = 0.0;
    for (int32_t v = 0; v < n_vocab; ++v) {
        sum += std::exp(static_cast<double>(logits[v] - max));
    }
    return {static_cast<double>(logits[token] - max) - std::log(sum), best == token};
}

}  // namespace

result<bool> check_loadable(const std::filesystem::path & path) {
    engine::init_llama_backend();
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    // the whole model, memory-mapped (its pages are read only as far as loading checks them);
    // llama.cpp's metadata-only mode is not available for every architecture
    llama_model * model = llama_model_load_from_file(path.c_str(), mp);
    if (model == nullptr) {
        return error::invalid(path.string() + " is not a GGUF model llama.cpp can load", path.string(),
                              "model_load_failed");
    }
    llama_model_free(model);
    return true;
}

result<eval_scores> evaluate(const std::filesystem::path & path, const std::vector<chat_example> & examples,
                             const eval_options & options) {
    handles h;
    engine::init_llama_backend();
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    h.model = llama_model_load_from_file(path.c_str(), mp);
    if (h.model == nullptr) {
        return error::invalid("cannot load " + path.string() + " (not a GGUF model llama.cpp can load)", path.string(),
                              "model_load_failed");
    }
    const int32_t n_ctx = options.context > 0 ? options.context : std::min(llama_model_n_ctx_train(h.model), 4096);
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = static_cast<uint32_t>(n_ctx);
    cp.n_batch = static_cast<uint32_t>(std::min(n_ctx, 512));
    cp.n_ubatch = cp.n_batch;
    cp.n_seq_max = 1;
    const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    cp.no_perf = true;
    h.ctx = llama_init_from_model(h.model, cp);
    if (h.ctx == nullptr) {
        return error::invalid("cannot create a context for " + path.string(), path.string(), "model_load_failed");
    }
    const llama_vocab * vocab = llama_model_get_vocab(h.model);
    const int32_t n_vocab = llama_vocab_n_tokens(vocab);
    llama_batch batch = llama_batch_init(static_cast<int32_t>(cp.n_batch), 0, 1);
    llama_memory_t memory = llama_get_memory(h.ctx);

    eval_scores out;
    double nll_sum = 0.0;
    int64_t agreed = 0;
    size_t exact = 0;
    const example_tokenizer tokenize_example(h.model);
    for (const auto & example : examples) {
        auto t = tokenize_example(example);
        if (!t) {
            llama_batch_free(batch);
            return t.err();
        }
        const auto & tokens = t->tokens;
        if (tokens.size() > static_cast<size_t>(n_ctx) || t->answer_begin == 0 || t->answer_end <= t->answer_begin) {
            ++out.skipped;
            if (options.per_example) {
                out.per_example.push_back({true, 0.0, 0.0, false, false, 0});
            }
            continue;
        }
        const double nll_before = nll_sum;
        const int64_t agreed_before = agreed;
        // teacher-forced: the logits before each answer token
        llama_memory_clear(memory, true);
        const size_t first = t->answer_begin - 1;
        const size_t last = t->answer_end - 2;
        size_t at_row = 0;
        bool ok = true;
        bool all_top = true;
        for (size_t at = 0; at < t->answer_end - 1 && ok; at += cp.n_batch) {
            const size_t n = std::min<size_t>(cp.n_batch, t->answer_end - 1 - at);
            batch.n_tokens = static_cast<int32_t>(n);
            for (size_t i = 0; i < n; ++i) {
                const size_t pos = at + i;
                batch.token[i] = tokens[pos];
                batch.pos[i] = static_cast<llama_pos>(pos);
                batch.n_seq_id[i] = 1;
                batch.seq_id[i][0] = 0;
                batch.logits[i] = pos >= first && pos <= last;
            }
            if (llama_decode(h.ctx, batch) != 0) {
                ok = false;
                break;
            }
            for (size_t i = 0; i < n; ++i) {
                const size_t pos = at + i;
                if (pos >= first && pos <= last) {
                    const float * row = llama_get_logits_ith(h.ctx, static_cast<int32_t>(i));
                    auto [logp, top] = score(row, n_vocab, tokens[pos + 1]);
                    nll_sum -= logp;
                    agreed += top ? 1 : 0;
                    all_top = all_top && top;
                    ++at_row;
                }
            }
        }
        if (!ok) {
            llama_batch_free(batch);
            return error::invalid("decoding failed in " + path.string(), path.string(), "eval_failed");
        }
        out.answer_tokens += static_cast<int64_t>(at_row);
        ++out.examples;

        // a short answer the model writes exactly, greedily, is one where every
        // token was its first choice given the ones before
        const bool short_answer = t->answer_end - t->answer_begin <= short_answer_tokens;
        if (short_answer) {
            ++out.short_answers;
            exact += all_top ? 1 : 0;
        }
        if (options.per_example) {
            const double n = static_cast<double>(std::max<size_t>(1, at_row));
            out.per_example.push_back({false, (nll_sum - nll_before) / n,
                                       static_cast<double>(agreed - agreed_before) / n, short_answer,
                                       short_answer && all_top, static_cast<int64_t>(at_row)});
        }
    }
    llama_batch_free(batch);
    if (out.examples == 0) {
        return error::invalid("no example fits the context of " + std::to_string(n_ctx) + " tokens", "context",
                              "eval_failed");
    }
    out.nll = nll_sum / static_cast<double>(std::max<int64_t>(1, out.answer_tokens));
    out.agreement = static_cast<double>(agreed) / static_cast<double>(std::max<int64_t>(1, out.answer_tokens));
    out.exact_match = out.short_answers ? static_cast<double>(exact) / static_cast<double>(out.short_answers) : 0.0;
    return out;
}

}  // namespace tiergate::distill
