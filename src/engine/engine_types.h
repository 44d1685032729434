#pragma once
// The engine's public types: what an in-process caller posts and what it
// receives back, token by token. No llama.cpp types leak out of this header.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::engine {

// The llama.cpp chat format of a request with tools (engine/tool_format.h):
// the grammar that constrains tool calls and how to read them back.
struct tool_format;

struct sampling_params {
    float temperature = 1.0f;  // <= 0: greedy
    float top_p = 1.0f;
    int32_t top_k = 0;  // 0: whole vocabulary
    float min_p = 0.0f;
    float presence_penalty = 0.0f;
    float frequency_penalty = 0.0f;
    // Same seed, same prompt, same parameters -> same output, when the request is decoded
    // in the same batches (one request at a time on an idle model always is). Decoded
    // together with other requests, the logits differ slightly (llama.cpp's CPU attention
    // picks its kernel and its F16 accumulation order by batch shape and KV-cache layout;
    // about 0.01 in log-probability on the test models), so a sampled token can change
    // where the random draw falls next to a boundary between two tokens.
    std::optional<uint32_t> seed;
};

enum class finish_reason { stop, length, cancelled, error };
const char * to_string(finish_reason reason);

// One alternative at a decoding step.
struct token_candidate {
    int32_t token = 0;
    std::string text;
    float logprob = 0.0f;
};

// One generated token, delivered as soon as it is sampled. `logprob` and
// `top` are log-probabilities under the model's full distribution (softmax of
// the raw logits), so the confidence cascade can read them while decoding.
// They are computed only when the request asks (logprobs, n_top_logprobs).
struct token_event {
    int32_t token = 0;
    std::string piece;         // the token's bytes (may be a partial UTF-8 sequence)
    float logprob = 0.0f;      // of the chosen token; 0 unless requested
    std::vector<token_candidate> top;  // up to n_top_logprobs, most probable first
    std::string text_delta;    // text now safe to show: complete UTF-8, not a possible stop prefix
    int32_t index = 0;         // 0-based position in the completion
};

struct generation_result {
    finish_reason reason = finish_reason::stop;
    std::string text;            // the whole completion, stop sequence removed
    std::string text_delta;      // the text released at the end (held back until now)
    int32_t prompt_tokens = 0;
    int32_t completion_tokens = 0;
    int32_t cached_prompt_tokens = 0;  // prompt tokens reused from a previous turn
    double ttft_ms = 0.0;        // time from submission to the first token
    double total_ms = 0.0;
    std::optional<error> failure;  // set when reason == error
};

// The caller's side of a generation. Called on the model's inference thread:
// implementations must be quick and never block (post to your own executor).
class generation_sink {
  public:
    virtual ~generation_sink() = default;
    // Return false to stop generating now (early stop of a cascade, client gone).
    virtual bool on_token(const token_event & event) = 0;
    virtual void on_done(const generation_result & result) = 0;
};

struct generation_request {
    std::vector<int32_t> prompt_tokens;  // already tokenized by the caller
    sampling_params sampling;
    int32_t max_tokens = -1;             // -1: until the context is full
    std::vector<std::string> stop;       // stop sequences (not included in the output)
    bool logprobs = false;               // compute the chosen token's log-probability
    int32_t n_top_logprobs = 0;          // alternatives per token, 0..20 (implies logprobs)
    std::string grammar;                 // GBNF, empty for none
    std::shared_ptr<const tool_format> tools;  // a chat with tools: its tool-call grammar
    std::vector<std::pair<int32_t, float>> logit_bias;  // token id -> bias added to its logit
    bool ignore_eos = false;
    std::shared_ptr<generation_sink> sink;
    // Set by anyone (client disconnect); the slot is freed at the next step.
    std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);
};

enum class pooling { mean, cls, last };

// A prompt rendered from chat messages.
struct chat_prompt {
    std::string text;
    std::vector<std::string> stop;  // extra stop sequences the format needs
    bool from_template = false;     // false: the plain fallback format
    std::shared_ptr<const tool_format> tools;  // set when the chat has tools
};

// The tools a chat offers the model, for rendering its prompt.
struct chat_tools {
    const std::vector<tool_definition> * tools = nullptr;
    tool_choice choice;
    bool parallel = false;
};

// A generated answer read with its tool format: text and tool calls.
struct tool_answer {
    std::string content;
    std::vector<tool_call> calls;
};

struct embedding_request {
    std::vector<std::vector<int32_t>> inputs;  // tokenized inputs
    pooling pool = pooling::mean;
    bool normalize = true;
    std::function<void(result<std::vector<std::vector<float>>>)> done;  // called on the inference thread
};

}  // namespace tiergate::engine
