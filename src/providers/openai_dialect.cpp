#include "providers/openai_dialect.h"

#include <nlohmann/json.hpp>

#include "providers/json_count.h"
#include "providers/openai_tool_wire.h"
#include "providers/upstream_error.h"

namespace tiergate::providers {

using json = nlohmann::json;

namespace {

std::string dump(const json & j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::vector<token_logprob> chat_logprobs(const json & lp) {
    std::vector<token_logprob> out;
    if (!lp.is_object()) {
        return out;
    }
    auto content = lp.find("content");
    if (content == lp.end() || !content->is_array()) {
        return out;
    }
    for (const auto & item : *content) {
        if (!item.is_object()) {
            continue;
        }
        token_logprob t;
        t.token = item.value("token", std::string());
        t.logprob = item.value("logprob", 0.0f);
        auto top = item.find("top_logprobs");
        if (top != item.end() && top->is_array()) {
            for (const auto & c : *top) {
                if (c.is_object()) {
                    t.top.emplace_back(c.value("token", std::string()), c.value("logprob", 0.0f));
                }
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<token_logprob> text_logprobs(const json & lp) {
    std::vector<token_logprob> out;
    if (!lp.is_object()) {
        return out;
    }
    const json & tokens = lp.contains("tokens") ? lp["tokens"] : json();
    const json & values = lp.contains("token_logprobs") ? lp["token_logprobs"] : json();
    const json & tops = lp.contains("top_logprobs") ? lp["top_logprobs"] : json();
    if (!tokens.is_array()) {
        return out;
    }
    for (size_t i = 0; i < tokens.size(); ++i) {
        token_logprob t;
        t.token = tokens[i].is_string() ? tokens[i].get<std::string>() : std::string();
        if (values.is_array() && i < values.size() && values[i].is_number()) {
            t.logprob = values[i].get<float>();
        }
        if (tops.is_array() && i < tops.size() && tops[i].is_object()) {
            for (const auto & [tok, v] : tops[i].items()) {
                if (v.is_number()) {
                    t.top.emplace_back(tok, v.get<float>());
                }
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

class openai_decoder final : public generation_decoder {
  public:
    openai_decoder(request_kind kind, std::string model) : kind_(kind), model_(std::move(model)) {}

    std::optional<error> on_event(const sse_event & ev, std::vector<generation_delta> & out) override {
        if (done_ || ev.data.empty()) {
            return std::nullopt;
        }
        if (ev.data == "[DONE]") {
            done_ = true;
            return std::nullopt;
        }
        auto j = json::parse(ev.data, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            return invalid_response(model_, "a stream event is not a JSON object");
        }
        return on_object(j, false, out);
    }

    std::optional<error> on_json(std::string_view body, std::vector<generation_delta> & out) override {
        auto j = json::parse(body, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            return invalid_response(model_, "the body is not a JSON object");
        }
        if (!j.contains("choices")) {
            return invalid_response(model_, "no choices in the response");
        }
        done_ = true;
        return on_object(j, true, out);
    }

    bool finished() const override { return done_ || !finish_reason_.empty(); }
    std::optional<usage> reported_usage() const override { return usage_; }
    std::string finish_reason() const override { return finish_reason_; }

  private:
    std::optional<error> on_object(const json & j, bool whole, std::vector<generation_delta> & out) {
        if (auto e = j.find("error"); e != j.end() && !e->is_null()) {
            error err{error_kind::upstream, model_ + ": upstream error mid-stream: " + upstream_message(dump(j)), "",
                      "upstream_error", {}};
            return err;
        }
        if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
            usage t;
            t.prompt_tokens = json_count(*u, "prompt_tokens").value_or(0);
            t.completion_tokens = json_count(*u, "completion_tokens").value_or(0);
            if (auto d = u->find("prompt_tokens_details"); d != u->end()) {
                t.cached_tokens = json_count(*d, "cached_tokens").value_or(0);
            }
            usage_ = t;
        }
        auto choices = j.find("choices");
        if (choices == j.end() || !choices->is_array()) {
            if (choices != j.end() && !choices->is_null()) {
                return invalid_response(model_, "choices is not an array");
            }
            return std::nullopt;
        }
        for (const auto & c : *choices) {
            if (!c.is_object() || json_count(c, "index").value_or(0) != 0) {
                continue;
            }
            generation_delta d;
            if (kind_ == request_kind::chat) {
                const char * field = whole ? "message" : "delta";
                if (auto m = c.find(field); m != c.end() && m->is_object()) {
                    if (auto t = m->find("content"); t != m->end() && t->is_string()) {
                        d.content = t->get<std::string>();
                    }
                    if (auto t = m->find("tool_calls"); t != m->end()) {
                        d.tool_calls = read_openai_tool_calls(*t, whole);
                    }
                }
                if (auto lp = c.find("logprobs"); lp != c.end()) {
                    d.logprobs = chat_logprobs(*lp);
                }
            } else {
                if (auto t = c.find("text"); t != c.end() && t->is_string()) {
                    d.content = t->get<std::string>();
                }
                if (auto lp = c.find("logprobs"); lp != c.end()) {
                    d.logprobs = text_logprobs(*lp);
                }
            }
            if (auto f = c.find("finish_reason"); f != c.end() && f->is_string()) {
                finish_reason_ = f->get<std::string>();
            }
            if (!d.content.empty() || !d.logprobs.empty() || !d.tool_calls.empty()) {
                out.push_back(std::move(d));
            }
        }
        return std::nullopt;
    }

    request_kind kind_;
    std::string model_;
    bool done_ = false;
    std::optional<usage> usage_;
    std::string finish_reason_;
};

}  // namespace

result<http_request_spec> openai_dialect::generation_request(const generation_call & call,
                                                             const upstream_identity & who) const {
    const auto & p = call.params;
    json body;
    body["model"] = who.model;
    http_request_spec spec;
    if (call.kind == request_kind::chat) {
        spec.target = "/chat/completions";
        json messages = json::array();
        for (const auto & m : call.messages) {
            json msg;
            msg["role"] = (!official_ && m.role == "developer") ? std::string("system") : m.role;
            if (!m.parts.empty()) {
                json parts = json::array();
                for (const auto & part : m.parts) {
                    if (part.type == content_part::kind::image) {
                        json image = {{"url", part.url}};
                        if (!part.detail.empty()) {
                            image["detail"] = part.detail;
                        }
                        parts.push_back({{"type", "image_url"}, {"image_url", std::move(image)}});
                    } else if (part.type == content_part::kind::audio) {
                        parts.push_back(
                            {{"type", "input_audio"}, {"input_audio", {{"data", part.data}, {"format", part.format}}}});
                    } else {
                        parts.push_back({{"type", "text"}, {"text", part.text}});
                    }
                }
                msg["content"] = std::move(parts);
            } else if (m.content.empty() && !m.tool_calls.empty()) {
                msg["content"] = nullptr;
            } else {
                msg["content"] = m.content;
            }
            if (!m.name.empty()) {
                msg["name"] = m.name;
            }
            if (!m.tool_calls.empty()) {
                msg["tool_calls"] = openai_tool_calls_json(m.tool_calls);
            }
            if (!m.tool_call_id.empty()) {
                msg["tool_call_id"] = m.tool_call_id;
            }
            messages.push_back(std::move(msg));
        }
        body["messages"] = std::move(messages);
        if (!call.tools.empty()) {
            body["tools"] = openai_tools_json(call.tools);
        }
        if (auto choice = openai_tool_choice_json(call.choice); !choice.is_null()) {
            body["tool_choice"] = std::move(choice);
        }
        if (call.parallel_tool_calls) {
            body["parallel_tool_calls"] = *call.parallel_tool_calls;
        }
        if (p.logprobs) {
            body["logprobs"] = true;
            if (p.top_logprobs > 0) {
                body["top_logprobs"] = p.top_logprobs;
            }
        }
        if (p.format.type == response_format::kind::json_object) {
            body["response_format"] = {{"type", "json_object"}};
        } else if (p.format.type == response_format::kind::json_schema) {
            auto schema = json::parse(p.format.schema_json, nullptr, false);
            if (schema.is_discarded()) {
                return error::invalid("response_format.json_schema.schema is not valid JSON",
                                      "response_format.json_schema.schema");
            }
            body["response_format"] = {
                {"type", "json_schema"},
                {"json_schema",
                 {{"name", p.format.schema_name.empty() ? std::string("response") : p.format.schema_name},
                  {"schema", std::move(schema)}}}};
        }
    } else {
        spec.target = "/completions";
        body["prompt"] = call.prompt;
        if (p.logprobs) {
            body["logprobs"] = p.top_logprobs;
        }
    }
    if (p.max_tokens) {
        body[official_ && call.kind == request_kind::chat ? "max_completion_tokens" : "max_tokens"] = *p.max_tokens;
    }
    if (p.temperature) {
        body["temperature"] = *p.temperature;
    }
    if (p.top_p) {
        body["top_p"] = *p.top_p;
    }
    if (!official_ && p.top_k) {
        body["top_k"] = *p.top_k;
    }
    if (!official_ && p.min_p) {
        body["min_p"] = *p.min_p;
    }
    if (p.presence_penalty) {
        body["presence_penalty"] = *p.presence_penalty;
    }
    if (p.frequency_penalty) {
        body["frequency_penalty"] = *p.frequency_penalty;
    }
    if (p.seed) {
        body["seed"] = *p.seed;
    }
    if (!p.stop.empty()) {
        body["stop"] = p.stop;
    }
    if (!p.user.empty()) {
        body["user"] = p.user;
    }
    if (!p.logit_bias.empty()) {
        json bias = json::object();
        for (const auto & [token, value] : p.logit_bias) {
            bias[std::to_string(token)] = value;
        }
        body["logit_bias"] = std::move(bias);
    }
    if (!p.reasoning_effort.empty() && call.kind == request_kind::chat) {
        body["reasoning_effort"] = p.reasoning_effort;
    }
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
    spec.headers.emplace_back("Content-Type", "application/json");
    spec.headers.emplace_back("Accept", "text/event-stream");
    if (!who.api_key.empty()) {
        spec.headers.emplace_back("Authorization", "Bearer " + who.api_key);
    }
    spec.body = dump(body);
    return spec;
}

std::unique_ptr<generation_decoder> openai_dialect::make_decoder(const generation_call & call,
                                                                 const std::string & model) const {
    return std::make_unique<openai_decoder>(call.kind, model);
}

}  // namespace tiergate::providers
