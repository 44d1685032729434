#pragma once
// The typed form of OpenAI-style requests and streamed results, shared by the
// API edge, the router and every provider. JSON stops at the edge; these
// types travel inward.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace tiergate {

// A function call an assistant made: its arguments are JSON text as the
// model wrote it (the client parses them).
struct tool_call {
    std::string id;
    std::string name;
    std::string arguments;
};

// One part of a message's content, kept in order when a message holds
// images or audio (text alone is kept as `content`).
struct content_part {
    enum class kind { text, image, audio };
    kind type = kind::text;
    std::string text;    // text
    std::string url;     // image: an https URL or a data: URL (base64)
    std::string detail;  // image: auto | low | high, empty when not given
    std::string data;    // audio: base64
    std::string format;  // audio: wav | mp3
};

struct chat_message {
    std::string role;  // system | developer | user | assistant | tool
    std::string content;  // the text (all text parts, joined)
    std::string name;
    std::vector<tool_call> tool_calls;  // assistant: the calls it made
    std::string tool_call_id;           // tool: the call this message answers
    std::vector<content_part> parts;    // the whole content in order, when it holds media; else empty
};

// A function the model may call: `parameters` is a JSON schema, serialized.
struct tool_definition {
    std::string name;
    std::string description;
    std::string parameters_json;
    bool strict = false;
};

struct tool_choice {
    enum class kind { unset, none, auto_, required, function };
    kind type = kind::unset;
    std::string function;  // kind::function: the one function to call
};

struct response_format {
    enum class kind { text, json_object, json_schema };
    kind type = kind::text;
    std::string schema_json;  // json_schema only: the schema, serialized
    std::string schema_name;
};

struct generation_params {
    std::optional<float> temperature;
    std::optional<float> top_p;
    std::optional<int> top_k;
    std::optional<float> min_p;
    std::optional<float> presence_penalty;
    std::optional<float> frequency_penalty;
    std::optional<uint32_t> seed;
    std::optional<int> max_tokens;
    std::vector<std::string> stop;
    bool logprobs = false;
    int top_logprobs = 0;
    response_format format;
    std::string user;
    std::vector<std::pair<int32_t, float>> logit_bias;  // token id -> bias in -100..100
    std::string reasoning_effort;                        // for remote reasoning models; empty: unset
};

enum class request_kind { chat, completion };

// Retrieval a call asks for (the `tiergate.retrieval` extension): passages
// from these collections are added to the prompt and cited in the answer.
struct retrieval_request {
    std::vector<std::string> collections;
    int k = 5;                  // passages, at most
    double score_threshold = 0; // 0..1: weaker passages are left out
    std::string filters_json;   // OpenAI's filter shape, serialized; empty: none
    bool by_policy = false;     // attached by the administrator's policy: searched whatever the caller's team
};

// A chat completion (messages) or a text completion (prompt).
struct generation_call {
    request_kind kind = request_kind::chat;
    std::string model;  // as the client named it
    std::vector<chat_message> messages;
    std::string prompt;  // completion only
    generation_params params;
    bool stream = false;
    bool include_usage = false;  // stream_options.include_usage
    std::vector<tool_definition> tools;
    tool_choice choice;
    std::optional<bool> parallel_tool_calls;
    std::optional<retrieval_request> retrieval;
    bool use_cache = true;  // false: the answer cache is neither read nor written (`tiergate.cache: false`)
    std::string task;       // what the call is for (`metadata.task`, or the x-tiergate-task header); empty: unnamed
};

// Whether any message holds an image or audio part.
inline bool carries_media(const generation_call & call, content_part::kind kind) {
    for (const auto & m : call.messages) {
        for (const auto & p : m.parts) {
            if (p.type == kind) {
                return true;
            }
        }
    }
    return false;
}

// The call defines tools or its history holds tool calls or tool results.
inline bool carries_tools(const generation_call & call) {
    if (!call.tools.empty()) {
        return true;
    }
    for (const auto & m : call.messages) {
        if (!m.tool_calls.empty() || m.role == "tool") {
            return true;
        }
    }
    return false;
}

struct embedding_call {
    std::string model;
    std::vector<std::string> inputs;
    std::vector<std::vector<int32_t>> token_inputs;  // when the client sent token ids
    bool base64 = false;                             // encoding_format
    std::string pooling;                             // mean | cls | last (extension), empty: model default
};

struct token_logprob {
    std::string token;
    float logprob = 0.0f;
    std::vector<std::pair<std::string, float>> top;
};

struct usage {
    int prompt_tokens = 0;
    int completion_tokens = 0;
    int cached_tokens = 0;
};

// A piece of a tool call as it is generated: the first piece of call
// `index` carries its id and function name, later pieces more arguments.
struct tool_call_delta {
    int index = 0;
    std::string id;
    std::string name;
    std::string arguments;
};

// A piece of the answer as it is generated.
struct generation_delta {
    std::string content;
    std::vector<tool_call_delta> tool_calls;
    std::vector<token_logprob> logprobs;  // one per token in this delta (when requested)
    // The model producing the answer, on the first delta of an answer when a
    // layer that picks among models knows it (fallback chain, cascade).
    std::string model;
};

struct generation_end {
    std::string finish_reason;  // stop | length | tool_calls | cancelled | error
    usage tokens;
    std::string model;          // the model that actually answered
    std::string model_version;  // its weights' version (local models: "base", "v<N>"); empty: not known
    double ttft_ms = 0.0;
    double total_ms = 0.0;
    std::optional<error> failure;
};

// Receives a generation. Methods may be called on any thread, one at a time,
// in order; on_end is called exactly once.
class generation_observer {
  public:
    virtual ~generation_observer() = default;
    virtual void on_delta(generation_delta && delta) = 0;
    virtual void on_end(generation_end && end) = 0;
    // false once the client is gone: the provider stops and frees its resources
    virtual bool wanted() const = 0;
    // True while nothing of the answer has left the gateway (a whole answer
    // being collected for a client that did not ask for a stream): a failed
    // attempt's deltas can then be taken back with retract() and the answer
    // begun again by a fallback. Layers that cannot take back what they
    // passed on keep the default.
    virtual bool retractable() const { return false; }
    virtual void retract() {}
};

struct embedding_result {
    std::vector<std::vector<float>> vectors;
    usage tokens;
    std::string model;
};

}  // namespace tiergate
