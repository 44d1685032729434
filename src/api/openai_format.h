#pragma once
// Typed results -> OpenAI response bodies and stream chunks.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/chat_types.h"
#include "core/retrieval.h"

namespace tiergate::api {

struct response_meta {
    std::string id;
    int64_t created = 0;
    std::string model;
    // Of the passages retrieval added (shown on the whole answer and on the
    // first chunk of a stream); null or empty: none.
    const std::vector<citation> * citations = nullptr;
};

std::string new_response_id(const char * prefix);
int64_t unix_now();

// tool_calls: the calls the answer made (content null when it has no text)
std::string chat_completion_body(const response_meta & meta, const std::string & content,
                                  const std::vector<token_logprob> * logprobs, const std::string & finish_reason,
                                  const usage & u, const std::vector<tool_call> & tool_calls = {});
// role: set on the first chunk; finish_reason: set on the last; tool_calls:
// this chunk's fragments of tool calls.
std::string chat_chunk_body(const response_meta & meta, const std::string * role, const std::string & content,
                            const std::vector<token_logprob> * logprobs, const std::string * finish_reason,
                            const std::vector<tool_call_delta> * tool_calls = nullptr);
std::string usage_chunk_body(const response_meta & meta, const char * object, const usage & u);

std::string text_completion_body(const response_meta & meta, const std::string & text,
                                 const std::vector<token_logprob> * logprobs, const std::string & finish_reason,
                                 const usage & u);
std::string text_chunk_body(const response_meta & meta, const std::string & text,
                            const std::vector<token_logprob> * logprobs, size_t text_offset,
                            const std::string * finish_reason);

std::string embeddings_body(const embedding_result & r, bool base64);
std::string sse_event(const std::string & json);
extern const char * const sse_done;

}  // namespace tiergate::api
