#include "api/openai_format.h"

#include "api/citation_format.h"
#include "api/json_text.h"
#include "core/request_id.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <random>

#include "providers/openai_tool_wire.h"

namespace tiergate::api {

using json = nlohmann::json;

const char * const sse_done = "data: [DONE]\n\n";

namespace {

std::string dump(const json & j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json bytes_of(const std::string & s) {
    json out = json::array();
    for (unsigned char c : s) {
        out.push_back(static_cast<int>(c));
    }
    return out;
}

json chat_logprobs(const std::vector<token_logprob> & lps) {
    json content = json::array();
    for (const auto & lp : lps) {
        json top = json::array();
        for (const auto & [tok, v] : lp.top) {
            top.push_back({{"token", tok}, {"logprob", v}, {"bytes", bytes_of(tok)}});
        }
        content.push_back({{"token", lp.token}, {"logprob", lp.logprob}, {"bytes", bytes_of(lp.token)}, {"top_logprobs", top}});
    }
    return {{"content", content}, {"refusal", nullptr}};
}

json text_logprobs(const std::vector<token_logprob> & lps, size_t offset) {
    json tokens = json::array(), values = json::array(), tops = json::array(), offsets = json::array();
    for (const auto & lp : lps) {
        tokens.push_back(lp.token);
        values.push_back(lp.logprob);
        json top = json::object();
        for (const auto & [tok, v] : lp.top) {
            top[tok] = v;
        }
        tops.push_back(top);
        offsets.push_back(offset);
        offset += lp.token.size();
    }
    return {{"tokens", tokens}, {"token_logprobs", values}, {"top_logprobs", tops}, {"text_offset", offsets}};
}

// The common bodies (no logprobs, tool calls or citations) are written
// directly, keys in the order a json document writes them (sorted): the
// same bytes as the general path below, at a fraction of its allocations.
void append_meta(std::string & out, const response_meta & meta, const char * object) {
    out += "\"created\":";
    append_json_int(out, meta.created);
    out += ",\"id\":";
    append_json_string(out, meta.id);
    out += ",\"model\":";
    append_json_string(out, meta.model);
    out += ",\"object\":\"";
    out += object;
    out += '"';
}

void append_usage(std::string & out, const usage & u) {
    out += "\"usage\":{\"completion_tokens\":";
    append_json_int(out, u.completion_tokens);
    out += ",\"prompt_tokens\":";
    append_json_int(out, u.prompt_tokens);
    out += ",\"prompt_tokens_details\":{\"cached_tokens\":";
    append_json_int(out, u.cached_tokens);
    out += "},\"total_tokens\":";
    append_json_int(out, u.prompt_tokens + u.completion_tokens);
    out += '}';
}

bool plain(const response_meta & meta, const std::vector<token_logprob> * logprobs) {
    return logprobs == nullptr && (meta.citations == nullptr || meta.citations->empty());
}

json usage_json(const usage & u) {
    return {{"prompt_tokens", u.prompt_tokens},
            {"completion_tokens", u.completion_tokens},
            {"total_tokens", u.prompt_tokens + u.completion_tokens},
            {"prompt_tokens_details", {{"cached_tokens", u.cached_tokens}}}};
}

}  // namespace

std::string new_response_id(const char * prefix) { return new_request_id(prefix); }

int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string chat_completion_body(const response_meta & meta, const std::string & content,
                                 const std::vector<token_logprob> * logprobs, const std::string & finish_reason,
                                 const usage & u, const std::vector<tool_call> & tool_calls) {
    if (plain(meta, logprobs) && tool_calls.empty()) {
        std::string out;
        out.reserve(256 + content.size() + meta.id.size() + meta.model.size());
        out += "{\"choices\":[{\"finish_reason\":";
        append_json_string(out, finish_reason);
        out += ",\"index\":0,\"logprobs\":null,\"message\":{\"content\":";
        append_json_string(out, content);
        out += ",\"refusal\":null,\"role\":\"assistant\"}}],";
        append_meta(out, meta, "chat.completion");
        out += ',';
        append_usage(out, u);
        out += '}';
        return out;
    }
    json message = {{"role", "assistant"},
                    {"content", content.empty() && !tool_calls.empty() ? json(nullptr) : json(content)},
                    {"refusal", nullptr}};
    if (!tool_calls.empty()) {
        message["tool_calls"] = providers::openai_tool_calls_json(tool_calls);
    }
    json choice = {{"index", 0},
                   {"message", std::move(message)},
                   {"logprobs", logprobs ? chat_logprobs(*logprobs) : json(nullptr)},
                   {"finish_reason", finish_reason}};
    json body = {{"id", meta.id},       {"object", "chat.completion"},    {"created", meta.created},
                 {"model", meta.model}, {"choices", json::array({choice})}, {"usage", usage_json(u)}};
    add_citations(body, meta.citations);
    return dump(body);
}

std::string chat_chunk_body(const response_meta & meta, const std::string * role, const std::string & content,
                            const std::vector<token_logprob> * logprobs, const std::string * finish_reason,
                            const std::vector<tool_call_delta> * tool_calls) {
    if (plain(meta, logprobs) && (tool_calls == nullptr || tool_calls->empty()) && role == nullptr) {
        std::string out;
        out.reserve(192 + content.size() + meta.id.size() + meta.model.size());
        out += "{\"choices\":[{\"delta\":{";
        if (!content.empty()) {
            out += "\"content\":";
            append_json_string(out, content);
        }
        out += "},\"finish_reason\":";
        if (finish_reason) {
            append_json_string(out, *finish_reason);
        } else {
            out += "null";
        }
        out += ",\"index\":0,\"logprobs\":null}],";
        append_meta(out, meta, "chat.completion.chunk");
        out += '}';
        return out;
    }
    json delta = json::object();
    if (role) {
        delta["role"] = *role;
    }
    if (!content.empty() || role) {
        delta["content"] = content;
    }
    if (tool_calls && !tool_calls->empty()) {
        delta["tool_calls"] = providers::openai_tool_call_deltas_json(*tool_calls);
    }
    json choice = {{"index", 0},
                   {"delta", delta},
                   {"logprobs", logprobs ? chat_logprobs(*logprobs) : json(nullptr)},
                   {"finish_reason", finish_reason ? json(*finish_reason) : json(nullptr)}};
    json body = {{"id", meta.id},       {"object", "chat.completion.chunk"}, {"created", meta.created},
                 {"model", meta.model}, {"choices", json::array({choice})}};
    if (role) {
        add_citations(body, meta.citations);
    }
    return dump(body);
}

std::string usage_chunk_body(const response_meta & meta, const char * object, const usage & u) {
    std::string out = "{\"choices\":[],";
    append_meta(out, meta, object);
    out += ',';
    append_usage(out, u);
    out += '}';
    return out;
}

std::string text_completion_body(const response_meta & meta, const std::string & text,
                                 const std::vector<token_logprob> * logprobs, const std::string & finish_reason,
                                 const usage & u) {
    json choice = {{"index", 0},
                   {"text", text},
                   {"logprobs", logprobs ? text_logprobs(*logprobs, 0) : json(nullptr)},
                   {"finish_reason", finish_reason}};
    json body = {{"id", meta.id},       {"object", "text_completion"},    {"created", meta.created},
                 {"model", meta.model}, {"choices", json::array({choice})}, {"usage", usage_json(u)}};
    return dump(body);
}

std::string text_chunk_body(const response_meta & meta, const std::string & text,
                            const std::vector<token_logprob> * logprobs, size_t text_offset,
                            const std::string * finish_reason) {
    json choice = {{"index", 0},
                   {"text", text},
                   {"logprobs", logprobs ? text_logprobs(*logprobs, text_offset) : json(nullptr)},
                   {"finish_reason", finish_reason ? json(*finish_reason) : json(nullptr)}};
    json body = {{"id", meta.id},       {"object", "text_completion"}, {"created", meta.created},
                 {"model", meta.model}, {"choices", json::array({choice})}};
    return dump(body);
}

std::string embeddings_body(const embedding_result & r, bool base64) {
    json data = json::array();
    for (size_t i = 0; i < r.vectors.size(); ++i) {
        json item = {{"object", "embedding"}, {"index", i}};
        const auto & v = r.vectors[i];
        if (base64) {
            const size_t n = v.size() * sizeof(float);
            std::string encoded(4 * ((n + 2) / 3) + 1, '\0');
            const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(encoded.data()),
                                            reinterpret_cast<const unsigned char *>(v.data()), static_cast<int>(n));
            encoded.resize(static_cast<size_t>(len));
            item["embedding"] = encoded;
        } else {
            item["embedding"] = v;
        }
        data.push_back(std::move(item));
    }
    json body = {{"object", "list"},
                 {"data", data},
                 {"model", r.model},
                 {"usage", {{"prompt_tokens", r.tokens.prompt_tokens}, {"total_tokens", r.tokens.prompt_tokens}}}};
    return dump(body);
}

std::string sse_event(const std::string & json_text) {
    std::string out;
    out.reserve(json_text.size() + 8);
    out += "data: ";
    out += json_text;
    out += "\n\n";
    return out;
}

}  // namespace tiergate::api
