#include "providers/anthropic_dialect.h"

#include <nlohmann/json.hpp>

#include <map>

#include "providers/json_count.h"
#include "providers/upstream_error.h"

namespace tiergate::providers {

using json = nlohmann::json;

namespace {

std::string dump(const json & j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string map_stop_reason(const std::string & r) {
    if (r == "end_turn" || r == "stop_sequence" || r == "pause_turn") {
        return "stop";
    }
    if (r == "max_tokens" || r == "model_context_window_exceeded") {
        return "length";
    }
    if (r == "tool_use") {
        return "tool_calls";
    }
    if (r == "refusal") {
        return "content_filter";
    }
    return r;
}

class anthropic_decoder final : public generation_decoder {
  public:
    explicit anthropic_decoder(std::string model) : model_(std::move(model)) {}

    std::optional<error> on_event(const sse_event & ev, std::vector<generation_delta> & out) override {
        if (done_ || ev.data.empty()) {
            return std::nullopt;
        }
        auto j = json::parse(ev.data, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            return invalid_response(model_, "a stream event is not a JSON object");
        }
        const std::string type = j.value("type", ev.event);
        if (type == "message_start") {
            if (auto m = j.find("message"); m != j.end() && m->is_object()) {
                if (auto u = m->find("usage"); u != m->end() && u->is_object()) {
                    read_usage(*u);
                }
            }
        } else if (type == "content_block_delta") {
            auto d = j.find("delta");
            const std::string dtype = d != j.end() && d->is_object() ? d->value("type", std::string()) : "";
            if (dtype == "text_delta") {
                generation_delta delta;
                delta.content = d->value("text", std::string());
                if (!delta.content.empty()) {
                    out.push_back(std::move(delta));
                }
            } else if (dtype == "input_json_delta") {
                // arguments of the tool_use block this index opened
                const auto block = json_count(j, "index");
                auto call = block ? tool_blocks_.find(*block) : tool_blocks_.end();
                if (call == tool_blocks_.end()) {
                    return invalid_response(model_, "input_json_delta for a block that is not a tool_use block");
                }
                generation_delta delta;
                delta.tool_calls.push_back({call->second, "", "", d->value("partial_json", std::string())});
                if (!delta.tool_calls.back().arguments.empty()) {
                    out.push_back(std::move(delta));
                }
            }
        } else if (type == "content_block_start") {
            auto b = j.find("content_block");
            const std::string btype = b != j.end() && b->is_object() ? b->value("type", std::string()) : "";
            if (btype == "text") {
                generation_delta delta;
                delta.content = b->value("text", std::string());
                if (!delta.content.empty()) {
                    out.push_back(std::move(delta));
                }
            } else if (btype == "tool_use") {
                const auto block = json_count(j, "index");
                if (!block) {
                    return invalid_response(model_, "a tool_use block without an index");
                }
                const int call = static_cast<int>(tool_blocks_.size());
                tool_blocks_[*block] = call;
                generation_delta delta;
                delta.tool_calls.push_back(
                    {call, b->value("id", std::string()), b->value("name", std::string()), ""});
                // a block may start with its whole input (not empty: {})
                if (auto in = b->find("input"); in != b->end() && in->is_object() && !in->empty()) {
                    delta.tool_calls.back().arguments = in->dump();
                }
                out.push_back(std::move(delta));
            }
        } else if (type == "message_delta") {
            if (auto d = j.find("delta"); d != j.end() && d->is_object()) {
                if (auto r = d->find("stop_reason"); r != d->end() && r->is_string()) {
                    finish_reason_ = map_stop_reason(r->get<std::string>());
                }
            }
            if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
                read_usage(*u);
            }
        } else if (type == "message_stop") {
            done_ = true;
        } else if (type == "error") {
            return stream_error(j);
        }
        // ping, content_block_stop and unknown event types are ignored
        return std::nullopt;
    }

    std::optional<error> on_json(std::string_view body, std::vector<generation_delta> & out) override {
        auto j = json::parse(body, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            return invalid_response(model_, "the body is not a JSON object");
        }
        if (j.value("type", std::string()) == "error") {
            return stream_error(j);
        }
        auto content = j.find("content");
        if (content == j.end() || !content->is_array()) {
            return invalid_response(model_, "no content array in the message");
        }
        generation_delta delta;
        for (const auto & block : *content) {
            const std::string btype = block.is_object() ? block.value("type", std::string()) : "";
            if (btype == "text") {
                delta.content += block.value("text", std::string());
            } else if (btype == "tool_use") {
                auto in = block.find("input");
                delta.tool_calls.push_back({static_cast<int>(delta.tool_calls.size()), block.value("id", std::string()),
                                            block.value("name", std::string()),
                                            in != block.end() && in->is_object() ? in->dump() : std::string("{}")});
            }
        }
        if (!delta.content.empty() || !delta.tool_calls.empty()) {
            out.push_back(std::move(delta));
        }
        if (auto r = j.find("stop_reason"); r != j.end() && r->is_string()) {
            finish_reason_ = map_stop_reason(r->get<std::string>());
        }
        if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
            read_usage(*u);
        }
        done_ = true;
        return std::nullopt;
    }

    bool finished() const override { return done_; }
    std::optional<usage> reported_usage() const override { return usage_; }
    std::string finish_reason() const override { return finish_reason_; }

  private:
    void read_usage(const json & u) {
        usage t = usage_.value_or(usage{});
        auto num = [&](const char * key) { return json_count(u, key); };
        if (auto in = num("input_tokens")) {
            input_ = *in;
        }
        if (auto c = num("cache_creation_input_tokens")) {
            cache_write_ = *c;
        }
        if (auto c = num("cache_read_input_tokens")) {
            cache_read_ = *c;
        }
        if (auto o = num("output_tokens")) {
            t.completion_tokens = *o;
        }
        t.prompt_tokens = input_ + cache_write_ + cache_read_;
        t.cached_tokens = cache_read_;
        usage_ = t;
    }

    error stream_error(const json & j) const {
        std::string type;
        std::string message;
        if (auto e = j.find("error"); e != j.end() && e->is_object()) {
            type = e->value("type", std::string());
            message = e->value("message", std::string());
        }
        error err;
        err.kind = type == "rate_limit_error" ? error_kind::rate_limited : error_kind::upstream;
        err.code = type == "overloaded_error" ? "upstream_overloaded" : "upstream_error";
        err.message = model_ + ": upstream error" + (type.empty() ? std::string() : " " + type) +
                      (message.empty() ? std::string() : ": " + message);
        return err;
    }

    std::string model_;
    bool done_ = false;
    std::optional<usage> usage_;
    int input_ = 0;
    int cache_write_ = 0;
    int cache_read_ = 0;
    std::string finish_reason_;
    std::map<int, int> tool_blocks_;  // content block index -> tool call index
};

// A tool call's arguments as a tool_use block's input (an object).
json tool_use_input(const std::string & arguments) {
    json j = json::parse(arguments, nullptr, false);
    if (j.is_object()) {
        return j;
    }
    return arguments.empty() ? json::object() : json{{"arguments", arguments}};
}

// An image as an Anthropic block: a data: URL as base64 source, else a URL source.
json image_block(const std::string & url) {
    if (url.rfind("data:", 0) == 0) {
        const size_t semi = url.find(';');
        const size_t comma = url.find(',');
        if (semi != std::string::npos && comma != std::string::npos && semi < comma) {
            return {{"type", "image"},
                    {"source",
                     {{"type", "base64"}, {"media_type", url.substr(5, semi - 5)}, {"data", url.substr(comma + 1)}}}};
        }
    }
    return {{"type", "image"}, {"source", {{"type", "url"}, {"url", url}}}};
}

json anthropic_tool_choice(const generation_call & call) {
    json choice;
    switch (call.choice.type) {
        case tool_choice::kind::unset:
        case tool_choice::kind::auto_: choice = {{"type", "auto"}}; break;
        case tool_choice::kind::none: choice = {{"type", "none"}}; break;
        case tool_choice::kind::required: choice = {{"type", "any"}}; break;
        case tool_choice::kind::function: choice = {{"type", "tool"}, {"name", call.choice.function}}; break;
    }
    if (call.parallel_tool_calls && !*call.parallel_tool_calls && call.choice.type != tool_choice::kind::none) {
        choice["disable_parallel_tool_use"] = true;
    }
    return choice;
}

}  // namespace

result<http_request_spec> anthropic_dialect::generation_request(const generation_call & call,
                                                                const upstream_identity & who) const {
    const auto & p = call.params;
    if (p.format.type != response_format::kind::text) {
        return error::invalid("model '" + who.model + "' (anthropic) does not support response_format",
                              "response_format", "unsupported_parameter");
    }
    if (!p.logit_bias.empty()) {
        return error::invalid("model '" + who.model + "' (anthropic) does not support logit_bias", "logit_bias",
                              "unsupported_parameter");
    }
    if (!p.reasoning_effort.empty()) {
        return error::invalid("model '" + who.model + "' (anthropic) does not take reasoning_effort", "reasoning_effort",
                              "unsupported_parameter");
    }
    json body;
    body["model"] = who.model;
    std::string system;
    json messages = json::array();
    // Anthropic alternates user and assistant turns: consecutive messages of
    // one role (a user turn after tool results, several tool results) become
    // one message of several blocks.
    auto add = [&](const std::string & role, json block) {
        if (!messages.empty() && messages.back()["role"] == role) {
            messages.back()["content"].push_back(std::move(block));
            return;
        }
        messages.push_back({{"role", role}, {"content", json::array({std::move(block)})}});
    };
    auto text_block = [](const std::string & text) { return json{{"type", "text"}, {"text", text}}; };
    if (call.kind == request_kind::completion) {
        add("user", text_block(call.prompt));
    } else {
        for (const auto & m : call.messages) {
            if (m.role == "system" || m.role == "developer") {
                system += system.empty() ? m.content : "\n\n" + m.content;
            } else if (m.role == "assistant") {
                if (!m.content.empty() || m.tool_calls.empty()) {
                    add("assistant", text_block(m.content));
                }
                for (const auto & c : m.tool_calls) {
                    add("assistant",
                        {{"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", tool_use_input(c.arguments)}});
                }
            } else if (m.role == "tool") {
                add("user", {{"type", "tool_result"}, {"tool_use_id", m.tool_call_id}, {"content", m.content}});
            } else if (!m.parts.empty()) {
                for (const auto & part : m.parts) {
                    if (part.type == content_part::kind::audio) {
                        return error::invalid("model '" + who.model + "' (anthropic) does not take audio", "messages",
                                              "audio_unsupported");
                    }
                    add("user", part.type == content_part::kind::image ? image_block(part.url) : text_block(part.text));
                }
            } else {
                add("user", text_block(m.content));
            }
        }
    }
    if (!call.tools.empty()) {
        json tools = json::array();
        for (const auto & t : call.tools) {
            json tool = {{"name", t.name}};
            if (!t.description.empty()) {
                tool["description"] = t.description;
            }
            json schema = t.parameters_json.empty() ? json{{"type", "object"}}
                                                    : json::parse(t.parameters_json, nullptr, false);
            tool["input_schema"] = schema.is_object() ? schema : json{{"type", "object"}};
            tools.push_back(std::move(tool));
        }
        body["tools"] = std::move(tools);
        body["tool_choice"] = anthropic_tool_choice(call);
    }
    if (messages.empty()) {
        return error::invalid("model '" + who.model + "' (anthropic) needs at least one user message", "messages");
    }
    if (!system.empty()) {
        body["system"] = system;
    }
    body["messages"] = std::move(messages);
    body["max_tokens"] = p.max_tokens.value_or(default_max_tokens);
    if (!p.stop.empty()) {
        body["stop_sequences"] = p.stop;
    }
    if (p.temperature) {
        body["temperature"] = *p.temperature;
    }
    if (p.top_p) {
        body["top_p"] = *p.top_p;
    }
    if (p.top_k) {
        body["top_k"] = *p.top_k;
    }
    if (!p.user.empty()) {
        body["metadata"] = {{"user_id", p.user}};
    }
    body["stream"] = true;
    http_request_spec spec;
    spec.target = "/v1/messages";
    spec.headers.emplace_back("Content-Type", "application/json");
    spec.headers.emplace_back("Accept", "text/event-stream");
    spec.headers.emplace_back("anthropic-version", api_version);
    if (!who.api_key.empty()) {
        spec.headers.emplace_back("x-api-key", who.api_key);
    }
    spec.body = dump(body);
    return spec;
}

std::unique_ptr<generation_decoder> anthropic_dialect::make_decoder(const generation_call & call,
                                                                    const std::string & model) const {
    return std::make_unique<anthropic_decoder>(model);
}

}  // namespace tiergate::providers
