#pragma once
// Fine-tunes a GGUF model on a chat data set with llama.cpp's own training
// support (ggml-opt through llama_opt_init / llama_opt_epoch, as llama.cpp's
// llama-finetune uses it), in-process, on whatever ggml backend the build has.
//
// The examples are rendered as the engine serves them (training_text.h),
// shuffled, packed end to end into windows of `context` tokens, and trained
// for `epochs` passes with AdamW at a learning rate that decays linearly to a
// tenth of `learning_rate`. The pinned llama.cpp builds the labels of every
// window position itself, so the loss covers the prompt tokens as well as
// the answer's (docs/distillation.md); evaluation (evaluator.h) scores the
// answer tokens only.
//
// Checkpoints: after every epoch, and when `stop` is raised between steps,
// the weights are written to <out>.checkpoint.gguf with
// <out>.checkpoint.json (the epoch and step reached); `resume` continues
// from there (the optimizer's moments start again). The student is written
// to `out` only when training ends, through a temporary file and a rename.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/error.h"

namespace tiergate::distill {

struct train_progress {
    int epoch = 0;  // 1-based
    int epochs = 0;
    int64_t step = 0;   // windows trained in this epoch
    int64_t steps = 0;  // windows in an epoch
    double loss = 0.0;  // mean training loss of this epoch so far
    double tokens_per_s = 0.0;
};

struct train_options {
    std::filesystem::path base;
    std::filesystem::path data;
    std::filesystem::path validation;  // empty: `validation_share` of `data`, split by a hash of the prompt
    std::filesystem::path out;
    int epochs = 2;
    float learning_rate = 1e-4f;
    int context = 0;  // tokens per window, rounded up to a multiple of 256; 0: the base's training context, at most 512
    int batch = 0;    // tokens per micro-batch, dividing `context`; 0: `context`
    double validation_share = 0.1;
    int threads = 0;  // 0: every core
    bool resume = false;
    uint32_t seed = 42;
    const std::atomic<bool> * stop = nullptr;  // raised: checkpoint at the next step and return
    std::function<void(const train_progress &)> progress;
};

struct train_report {
    int epochs_done = 0;
    bool interrupted = false;
    size_t train_examples = 0;
    size_t validation_examples = 0;
    int64_t train_tokens = 0;  // per epoch
    double train_loss = 0.0;   // the last epoch's mean
    double validation_loss = -1.0;  // after training; -1: no validation windows
    double tokens_per_s = 0.0;
    double seconds = 0.0;
    std::filesystem::path written;  // the student, or the checkpoint when interrupted
};

result<train_report> train(const train_options & options);

// Why a GGUF cannot be trained here, or nothing: every weight must be F32
// (the pinned ggml has no gradients for quantized or F16 weights).
result<bool> check_trainable(const std::filesystem::path & model);

}  // namespace tiergate::distill
