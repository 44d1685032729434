#include "distill/trainer.h"

#include <ggml-opt.h>
#include <gguf.h>
#include <llama.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <numeric>
#include <optional>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "distill/chat_example.h"
#include "distill/training_text.h"
#include "engine/llama_backend.h"

namespace tiergate::distill {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

error train_error(const std::string & message, const std::string & param = {}) {
    return error{error_kind::invalid_request, message, param, "training_failed", {}};
}

// The learning rate of the current step, read by ggml-opt before each optimizer step.
struct schedule {
    float lr0 = 1e-4f;
    int64_t steps_total = 1;
    int64_t step = 0;
};

ggml_opt_optimizer_params schedule_params(void * userdata) {
    const auto & s = *static_cast<const schedule *>(userdata);
    ggml_opt_optimizer_params p = ggml_opt_get_default_optimizer_params(nullptr);
    const double done = std::min(1.0, static_cast<double>(s.step) / static_cast<double>(std::max<int64_t>(1, s.steps_total)));
    const float lr = static_cast<float>(s.lr0 * (1.0 - 0.9 * done));
    p.adamw.alpha = lr;
    p.adamw.wd = 0.0f;
    p.sgd.alpha = lr;
    p.sgd.wd = 0.0f;
    return p;
}

struct llama_handles {
    llama_model * model = nullptr;
    llama_context * ctx = nullptr;
    ~llama_handles() {
        if (ctx) llama_free(ctx);
        if (model) llama_model_free(model);
    }
};

// Examples packed end to end; windows of `n_ctx` tokens with their next-token labels.
ggml_opt_dataset_t pack(const std::vector<int32_t> & stream, int64_t n_ctx, int64_t first, int64_t count) {
    ggml_opt_dataset_t ds = ggml_opt_dataset_init(GGML_TYPE_I32, GGML_TYPE_I32, n_ctx, n_ctx, count, 1);
    auto * data = static_cast<int32_t *>(ggml_opt_dataset_data(ds)->data);
    auto * labels = static_cast<int32_t *>(ggml_opt_dataset_labels(ds)->data);
    for (int64_t i = 0; i < count; ++i) {
        const int64_t at = (first + i) * n_ctx;
        std::memcpy(data + i * n_ctx, stream.data() + at, static_cast<size_t>(n_ctx) * sizeof(int32_t));
        std::memcpy(labels + i * n_ctx, stream.data() + at + 1, static_cast<size_t>(n_ctx) * sizeof(int32_t));
    }
    return ds;
}

// The token stream of a set of examples: at least one window and its label.
std::vector<int32_t> stream_of(const std::vector<example_tokens> & examples, int64_t n_ctx) {
    std::vector<int32_t> out;
    for (const auto & e : examples) {
        out.insert(out.end(), e.tokens.begin(), e.tokens.end());
    }
    if (out.empty()) {
        return out;
    }
    // too few tokens for one window: the examples again, as a second pass would see them
    const size_t one = out.size();
    while (static_cast<int64_t>(out.size()) < n_ctx + 1) {
        out.insert(out.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(one));
    }
    return out;
}

int64_t windows_in(const std::vector<int32_t> & stream, int64_t n_ctx) {
    return stream.empty() ? 0 : (static_cast<int64_t>(stream.size()) - 1) / n_ctx;
}

result<bool> write_atomically(const fs::path & to, const std::function<bool(const fs::path &)> & write) {
    fs::path tmp = to;
    tmp += ".tmp";
    std::error_code ec;
    fs::remove(tmp, ec);
    if (!write(tmp) || !fs::exists(tmp)) {
        fs::remove(tmp, ec);
        return train_error("cannot write " + to.string() + " (is the disk full?)", to.string());
    }
    fs::rename(tmp, to, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return train_error("cannot write " + to.string() + ": " + ec.message(), to.string());
    }
    return true;
}

// Whether a GGUF file holds every byte its header promises (a write cut short
// by a full disk does not).
bool complete_gguf(const fs::path & file) {
    gguf_init_params params{true, nullptr};
    gguf_context * g = gguf_init_from_file(file.c_str(), params);
    if (g == nullptr) {
        return false;
    }
    uint64_t end = gguf_get_data_offset(g);
    for (int64_t i = 0; i < gguf_get_n_tensors(g); ++i) {
        end = std::max<uint64_t>(end, gguf_get_data_offset(g) + gguf_get_tensor_offset(g, i) + gguf_get_tensor_size(g, i));
    }
    gguf_free(g);
    std::error_code ec;
    return fs::file_size(file, ec) >= end && !ec;
}

result<bool> save_model(llama_model * model, const fs::path & to) {
    return write_atomically(to, [&](const fs::path & tmp) {
        llama_model_save_to_file(model, tmp.c_str());
        return complete_gguf(tmp);
    });
}

fs::path with_suffix(const fs::path & p, const char * suffix) {
    fs::path out = p;
    out += suffix;
    return out;
}

double mean_loss(ggml_opt_result_t r) {
    double loss = 0.0, unc = 0.0;
    ggml_opt_result_loss(r, &loss, &unc);
    return loss;
}

}  // namespace

result<bool> check_trainable(const fs::path & model) {
    gguf_init_params params{true, nullptr};
    gguf_context * g = gguf_init_from_file(model.c_str(), params);
    if (g == nullptr) {
        return train_error(model.string() + " is not a readable GGUF file", model.string());
    }
    std::string bad;
    for (int64_t i = 0; i < gguf_get_n_tensors(g); ++i) {
        const std::string name = gguf_get_tensor_name(g, i);
        const ggml_type type = gguf_get_tensor_type(g, i);
        if (type != GGML_TYPE_F32 && name != "token_embd.weight") {
            bad = name + " is " + ggml_type_name(type);
            break;
        }
    }
    gguf_free(g);
    if (!bad.empty()) {
        return train_error(model.string() + " cannot be trained here: " + bad +
                               "; training updates F32 weights only. Convert the base first: "
                               "llama-quantize --allow-requantize " + model.string() + " base-f32.gguf F32",
                           model.string());
    }
    return true;
}

result<train_report> train(const train_options & o) {
    const auto started = std::chrono::steady_clock::now();
    if (o.epochs < 1 || o.epochs > 1000) {
        return train_error("epochs must be between 1 and 1000", "epochs");
    }
    if (!(o.learning_rate > 0.0f) || o.learning_rate > 1.0f) {
        return train_error("the learning rate must be in (0, 1]", "learning_rate");
    }
    if (o.validation_share < 0.0 || o.validation_share >= 1.0) {
        return train_error("the validation share must be in [0, 1)", "validation_share");
    }
    auto examples = read_examples(o.data);
    if (!examples) {
        return examples.err();
    }
    std::vector<chat_example> train_set;
    std::vector<chat_example> validation_set;
    if (!o.validation.empty()) {
        auto v = read_examples(o.validation);
        if (!v) {
            return v.err();
        }
        validation_set = std::move(*v);
        train_set = std::move(*examples);
    } else {
        // a hash of its own (the prompt hash, mixed): a file that `distill dataset` split by
        // the prompt hash holds only one side of that split
        const auto cut = static_cast<uint64_t>(o.validation_share * 1000.0);
        for (auto & e : *examples) {
            const uint64_t h = (prompt_hash(e.prompt) ^ 0x5bd1e9955bd1e995ULL) * 0x9e3779b97f4a7c15ULL;
            ((h >> 32) % 1000 < cut ? validation_set : train_set).push_back(std::move(e));
        }
    }
    if (train_set.empty()) {
        return train_error(o.data.string() + ": every example fell in the validation share; nothing to train on",
                           o.data.string());
    }

    // where training starts: the base, or the checkpoint of an interrupted run
    const fs::path checkpoint = with_suffix(o.out, ".checkpoint.gguf");
    const fs::path checkpoint_state = with_suffix(o.out, ".checkpoint.json");
    fs::path start_from = o.base;
    int64_t resume_context = 0;
    int first_epoch = 0;
    int64_t first_step = 0;
    if (o.resume && fs::exists(checkpoint_state) && fs::exists(checkpoint)) {
        std::ifstream in(checkpoint_state);
        json state = json::parse(in, nullptr, false);
        auto integer = [&](const char * key) -> std::optional<int64_t> {
            if (!state.is_object() || !state.contains(key) || !state[key].is_number_integer()) {
                return std::nullopt;
            }
            return state[key].get<int64_t>();
        };
        const auto epoch = integer("epoch");
        const auto step = integer("step");
        const auto context = integer("context");
        const auto seed = integer("seed");
        if (!epoch || !step || !context || !seed || *epoch < 0 || *epoch > o.epochs || *step < 0 ||
            !state.contains("data") || !state["data"].is_string()) {
            return train_error(checkpoint_state.string() + " is not a checkpoint state of this run",
                               checkpoint_state.string());
        }
        if (state["data"].get<std::string>() != o.data.string() || *seed != o.seed ||
            (o.context > 0 && *context != (std::max<int64_t>(256, (o.context + 255) / 256 * 256)))) {
            return train_error(checkpoint_state.string() + " was written for other data, seed or context: resume "
                                   "with the same --data, --seed and --context, or remove it to start again",
                               checkpoint_state.string());
        }
        start_from = checkpoint;
        first_epoch = static_cast<int>(*epoch);
        first_step = *step;
        resume_context = *context;
    }
    if (auto ok = check_trainable(start_from); !ok) {
        return ok.err();
    }

    llama_handles h;
    engine::init_llama_backend();
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    mp.load_mode = LLAMA_LOAD_MODE_NONE;  // writable weights
    mp.use_extra_bufts = false;            // weights in their plain layout, as the optimizer updates them
    h.model = llama_model_load_from_file(start_from.c_str(), mp);
    if (h.model == nullptr) {
        return train_error("cannot load " + start_from.string() + " (not a GGUF model llama.cpp can load)",
                           start_from.string());
    }
    // llama.cpp sizes a context in steps of 256 tokens; a training window is one context
    int64_t n_ctx = o.context > 0          ? o.context
                    : resume_context > 0 ? resume_context
                                         : std::min<int64_t>(llama_model_n_ctx_train(h.model), 512);
    n_ctx = std::max<int64_t>(256, (n_ctx + 255) / 256 * 256);
    const int64_t n_batch = o.batch > 0 ? o.batch : n_ctx;
    if (n_ctx % n_batch != 0) {
        return train_error("the batch (" + std::to_string(n_batch) + ") must divide the context (" +
                               std::to_string(n_ctx) + ")",
                           "batch");
    }

    // examples to tokens, in a shuffled order fixed by the seed
    std::vector<example_tokens> train_tokens;
    std::vector<example_tokens> validation_tokens;
    const example_tokenizer tokenize_example(h.model);
    for (auto * set : {&train_set, &validation_set}) {
        for (const auto & e : *set) {
            auto t = tokenize_example(e);
            if (!t) {
                return t.err();
            }
            (set == &train_set ? train_tokens : validation_tokens).push_back(std::move(*t));
        }
    }
    std::mt19937 rng(o.seed);
    std::shuffle(train_tokens.begin(), train_tokens.end(), rng);
    const std::vector<int32_t> train_stream = stream_of(train_tokens, n_ctx);
    const std::vector<int32_t> validation_stream = stream_of(validation_tokens, n_ctx);
    const int64_t steps = windows_in(train_stream, n_ctx);
    if (first_step > steps) {
        return train_error(checkpoint_state.string() + " is past the end of an epoch of this data",
                           checkpoint_state.string());
    }

    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = static_cast<uint32_t>(n_ctx);
    cp.n_batch = static_cast<uint32_t>(n_ctx);
    cp.n_ubatch = static_cast<uint32_t>(n_batch);
    cp.n_seq_max = 1;
    const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    cp.type_k = GGML_TYPE_F32;  // the backward pass needs F32 caches
    cp.type_v = GGML_TYPE_F32;
    cp.no_perf = true;
    h.ctx = llama_init_from_model(h.model, cp);
    if (h.ctx == nullptr) {
        return train_error("cannot create a training context of " + std::to_string(n_ctx) + " tokens", "context");
    }

    // The CPU backend takes its thread count from the last decode: without one
    // the optimizer's graphs would run on ggml's default count, whatever the
    // cores (threads spinning at barriers for a core they do not have).
    {
        llama_token first = train_stream.front();
        llama_batch warm = llama_batch_get_one(&first, 1);
        if (llama_decode(h.ctx, warm) != 0) {
            return train_error("cannot run " + start_from.string(), start_from.string());
        }
        llama_memory_clear(llama_get_memory(h.ctx), true);
    }

    schedule sched;
    sched.lr0 = o.learning_rate;
    sched.steps_total = steps * o.epochs;
    sched.step = static_cast<int64_t>(first_epoch) * steps + first_step;
    llama_opt_params lp{};
    lp.n_ctx_train = 0;
    lp.param_filter = llama_opt_param_filter_all;
    lp.param_filter_ud = nullptr;
    lp.get_opt_pars = schedule_params;
    lp.get_opt_pars_ud = &sched;
    lp.optimizer_type = GGML_OPT_OPTIMIZER_TYPE_ADAMW;
    llama_opt_init(h.ctx, h.model, lp);

    train_report report;
    report.train_examples = train_set.size();
    report.validation_examples = validation_set.size();
    report.train_tokens = steps * n_ctx;
    ggml_opt_result_t result_train = ggml_opt_result_init();
    ggml_opt_result_t result_eval = ggml_opt_result_init();

    auto save_checkpoint = [&](int epoch, int64_t step) -> result<bool> {
        if (auto ok = save_model(h.model, checkpoint); !ok) {
            return ok;
        }
        return write_atomically(checkpoint_state, [&](const fs::path & tmp) {
            std::ofstream out(tmp);
            out << json{{"epoch", epoch},     {"step", step},     {"context", n_ctx},
                        {"seed", o.seed},      {"base", o.base.string()}, {"data", o.data.string()}}
                       .dump()
                << "\n";
            return static_cast<bool>(out.flush());
        });
    };

    // a few windows per call, so that progress is reported and a stop is heard between them
    const int64_t chunk = std::max<int64_t>(1, std::min<int64_t>(8, steps / 20));
    int64_t tokens_trained = 0;
    double train_seconds = 0.0;
    report.epochs_done = first_epoch;
    for (int epoch = first_epoch; epoch < o.epochs; ++epoch) {
        ggml_opt_result_reset(result_train);
        int64_t step = epoch == first_epoch ? first_step : 0;
        while (step < steps) {
            if (o.stop != nullptr && o.stop->load()) {
                if (auto ok = save_checkpoint(epoch, step); !ok) {
                    return ok.err();
                }
                report.interrupted = true;
                report.written = checkpoint;
                report.train_loss = mean_loss(result_train);
                ggml_opt_result_free(result_train);
                ggml_opt_result_free(result_eval);
                return report;
            }
            const int64_t count = std::min(chunk, steps - step);
            ggml_opt_dataset_t ds = pack(train_stream, n_ctx, step, count);
            const auto t0 = std::chrono::steady_clock::now();
            llama_opt_epoch(h.ctx, ds, result_train, nullptr, count, nullptr, nullptr);
            train_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            ggml_opt_dataset_free(ds);
            step += count;
            sched.step += count;
            tokens_trained += count * n_ctx;
            if (o.progress) {
                train_progress p;
                p.epoch = epoch + 1;
                p.epochs = o.epochs;
                p.step = step;
                p.steps = steps;
                p.loss = mean_loss(result_train);
                p.tokens_per_s = train_seconds > 0 ? static_cast<double>(tokens_trained) / train_seconds : 0.0;
                o.progress(p);
            }
        }
        report.train_loss = mean_loss(result_train);
        report.epochs_done = epoch + 1;
        if (epoch + 1 < o.epochs) {
            if (auto ok = save_checkpoint(epoch + 1, 0); !ok) {
                return ok.err();
            }
        }
    }
    report.tokens_per_s = train_seconds > 0 ? static_cast<double>(tokens_trained) / train_seconds : 0.0;

    if (const int64_t nv = windows_in(validation_stream, n_ctx); nv > 0) {
        ggml_opt_dataset_t ds = pack(validation_stream, n_ctx, 0, nv);
        ggml_opt_result_reset(result_eval);
        llama_opt_epoch(h.ctx, ds, result_train, result_eval, 0, nullptr, nullptr);
        report.validation_loss = mean_loss(result_eval);
        ggml_opt_dataset_free(ds);
    }
    ggml_opt_result_free(result_train);
    ggml_opt_result_free(result_eval);

    if (auto ok = save_model(h.model, o.out); !ok) {
        return ok.err();
    }
    std::error_code ec;
    fs::remove(checkpoint, ec);
    fs::remove(checkpoint_state, ec);
    report.written = o.out;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

}  // namespace tiergate::distill
