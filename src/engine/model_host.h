#pragma once
// One loaded GGUF model: its llama context, its slots, and the one inference
// thread that owns them. Callers post tasks and read results through the sinks
// they pass in; the work of turning a request into tokens runs on the model's
// preparation threads (post_preparation), never on an HTTP I/O thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "engine/engine_types.h"

namespace tiergate::engine {

// What a tokenized prompt is for: a generation needs room for at least one
// completion token, an embedding input may fill the context.
enum class prompt_use { generation, embedding };

struct model_options {
    std::string name;
    std::string path;
    int32_t parallel = 4;      // slots decoded together in one batch
    int32_t ctx_per_slot = 0;  // 0: the model's training context, at most 4096
    int32_t threads = 0;       // 0: all cores
    int32_t batch = 512;       // tokens per decode step (prefill chunks)
    bool embeddings = true;    // allow /v1/embeddings on this model
    std::string version = "base";  // the weights' version, as the ledger records it
};

struct host_stats {
    int32_t slots = 0;
    int32_t active = 0;
    int32_t queued = 0;  // generations waiting for a slot, and embeddings not yet answered
    int64_t decode_steps = 0;
    int64_t prompt_tokens_evaluated = 0;  // prefilled (not reused) prompt tokens
    int64_t prompt_tokens_reused = 0;
    int64_t tokens_generated = 0;
};

class model_host {
  public:
    static result<std::unique_ptr<model_host>> load(const model_options & options);
    ~model_host();
    model_host(const model_host &) = delete;
    model_host & operator=(const model_host &) = delete;

    const std::string & name() const;
    int32_t ctx_per_slot() const;
    int32_t n_vocab() const;
    int32_t n_embd() const;
    int64_t n_params() const;
    uint64_t weight_bytes() const;
    bool embeddings_enabled() const;
    const std::string & path() const;
    const std::string & version() const;

    // Thread-safe: the vocabulary is read-only.
    std::vector<int32_t> tokenize(std::string_view text, bool add_special, bool parse_special) const;
    // Tokenizes a prompt that must fit one slot's context. Text that cannot fit is refused
    // with context_length_exceeded (param: `param`) after work linear in its length
    // (engine/bounded_tokenize.h); tokenize() alone can be quadratic on such text.
    result<std::vector<int32_t>> tokenize_prompt(std::string_view text, bool add_special, bool parse_special,
                                                 prompt_use use, const std::string & param) const;
    std::string token_piece(int32_t token) const;
    result<chat_prompt> render_chat(const std::vector<chat_message> & messages, const chat_tools * tools = nullptr) const;
    // GBNF for a JSON schema (response_format json_schema); an empty schema
    // object means any JSON object (json_object).
    result<std::string> grammar_for_schema(const std::string & schema_json) const;

    // Runs job on this model's preparation threads, in order of arrival. False
    // when the model is shutting down (the job is not run).
    bool post_preparation(std::function<void()> job);

    // Non-blocking. Validates limits first: a prompt longer than the slot's
    // context is an error here, never a truncation.
    result<bool> submit(generation_request request);
    result<bool> submit(embedding_request request);

    host_stats stats() const;

  private:
    model_host();
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::engine
