#include "api/openai_parse.h"

#include <nlohmann/json.hpp>

#include <climits>
#include <cmath>
#include <cstdlib>
#include <set>

#include "api/request_fields.h"
#include "api/retrieval_parse.h"
#include "api/openai_tools_parse.h"
#include "core/json_depth.h"
#include "core/utf8.h"

namespace tiergate::api {

using json = nlohmann::json;

namespace {

std::optional<error> check_fields(const json & doc, const std::set<std::string> & supported,
                                  const std::set<std::string> & ignored) {
    for (const auto & [key, value] : doc.items()) {
        if (supported.count(key) != 0 || ignored.count(key) != 0) {
            continue;
        }
        return error::invalid("unrecognized or unsupported request argument: '" + key + "'", key, "unsupported_parameter");
    }
    return std::nullopt;
}


std::optional<error> read_model(const json & doc, std::string & out) {
    auto it = doc.find("model");
    if (it == doc.end()) {
        return error::invalid("'model' is required", "model", "missing_field");
    }
    if (!it->is_string()) {
        return wrong_type("model", "a string", *it);
    }
    out = it->get<std::string>();
    if (out.empty()) {
        return error::invalid("'model' must not be empty", "model", "invalid_value");
    }
    return std::nullopt;
}

// OpenAI's `metadata` (up to 16 string values): `task` names what the call
// is for; the rest is not used here.
std::optional<error> read_metadata_task(const json & doc, generation_call & call) {
    auto it = doc.find("metadata");
    if (it == doc.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_object()) {
        return wrong_type("metadata", "an object", *it);
    }
    if (it->size() > 16) {
        return error::invalid("'metadata' holds at most 16 keys", "metadata", "invalid_value");
    }
    for (const auto & [key, value] : it->items()) {
        if (!value.is_string()) {
            return wrong_type("metadata." + key, "a string", value);
        }
        if (value.get_ref<const std::string &>().size() > 512) {
            return error::invalid("'metadata." + key + "' holds at most 512 characters", "metadata." + key,
                                  "invalid_value");
        }
    }
    if (auto task = it->find("task"); task != it->end()) {
        call.task = task->get<std::string>();
    }
    return std::nullopt;
}

// Sampling and output fields shared by chat and text completions.
std::optional<error> read_common(const json & doc, generation_call & call) {
    auto & p = call.params;
    if (auto e = read_model(doc, call.model)) return e;
    if (auto e = read_number(doc, "temperature", 0.0, 2.0, p.temperature)) return e;
    if (auto e = read_number(doc, "top_p", 0.0, 1.0, p.top_p)) return e;
    if (auto e = read_number(doc, "top_k", 0.0, 1e6, p.top_k)) return e;
    if (auto e = read_number(doc, "min_p", 0.0, 1.0, p.min_p)) return e;
    if (auto e = read_number(doc, "presence_penalty", -2.0, 2.0, p.presence_penalty)) return e;
    if (auto e = read_number(doc, "frequency_penalty", -2.0, 2.0, p.frequency_penalty)) return e;
    std::optional<int64_t> seed;
    if (auto e = read_number(doc, "seed", -9.2e18, 9.2e18, seed)) return e;
    if (seed) {
        p.seed = static_cast<uint32_t>(static_cast<uint64_t>(*seed) & 0xffffffffu);
    }
    if (auto e = read_number(doc, "max_tokens", 1.0, 1e9, p.max_tokens)) return e;
    if (auto e = read_number(doc, "max_completion_tokens", 1.0, 1e9, p.max_tokens)) return e;
    if (auto it = doc.find("logit_bias"); it != doc.end() && !it->is_null()) {
        if (!it->is_object()) {
            return wrong_type("logit_bias", "an object of token ids to biases", *it);
        }
        if (it->size() > 1024) {
            return error::invalid("'logit_bias' may hold at most 1024 tokens", "logit_bias", "invalid_value");
        }
        for (const auto & [key, bias] : it->items()) {
            char * end = nullptr;
            const long long id = std::strtoll(key.c_str(), &end, 10);
            if (key.empty() || end == nullptr || *end != '\0' || id < 0 || id > INT32_MAX) {
                return error::invalid("'logit_bias' keys must be token ids, got '" + key + "'", "logit_bias",
                                      "invalid_value");
            }
            if (!bias.is_number() || !(bias.get<double>() >= -100.0 && bias.get<double>() <= 100.0)) {
                return error::invalid("'logit_bias' values must be numbers in -100..100", "logit_bias", "invalid_value");
            }
            p.logit_bias.emplace_back(static_cast<int32_t>(id), bias.get<float>());
        }
    }
    if (auto it = doc.find("reasoning_effort"); it != doc.end() && !it->is_null()) {
        static const std::set<std::string> efforts = {"none", "minimal", "low", "medium", "high", "xhigh"};
        if (!it->is_string() || efforts.count(it->get<std::string>()) == 0) {
            return error::invalid("'reasoning_effort' must be one of none, minimal, low, medium, high, xhigh",
                                  "reasoning_effort", "invalid_value");
        }
        p.reasoning_effort = it->get<std::string>();
    }
    std::optional<int> n;
    if (auto e = read_number(doc, "n", 1.0, 128.0, n)) return e;
    if (n && *n != 1) {
        return error::invalid("'n' greater than 1 is not supported; send one request per completion", "n", "unsupported_value");
    }
    if (auto it = doc.find("stop"); it != doc.end() && !it->is_null()) {
        if (it->is_string()) {
            p.stop.push_back(it->get<std::string>());
        } else if (it->is_array()) {
            if (it->size() > 4) {
                return error::invalid("'stop' may hold at most 4 sequences", "stop", "invalid_value");
            }
            for (const auto & s : *it) {
                if (!s.is_string()) {
                    return wrong_type("stop", "a string or an array of strings", *it);
                }
                p.stop.push_back(s.get<std::string>());
            }
        } else {
            return wrong_type("stop", "a string or an array of strings", *it);
        }
    }
    if (auto e = read_bool(doc, "stream", call.stream)) return e;
    if (auto it = doc.find("stream_options"); it != doc.end() && !it->is_null()) {
        if (!it->is_object()) {
            return wrong_type("stream_options", "an object", *it);
        }
        if (!call.stream) {
            return error::invalid("'stream_options' is only allowed when 'stream' is true", "stream_options", "invalid_value");
        }
        if (auto e = read_bool(*it, "include_usage", call.include_usage)) {
            e->param = "stream_options.include_usage";
            return e;
        }
    }
    if (auto it = doc.find("user"); it != doc.end() && !it->is_null()) {
        if (!it->is_string()) {
            return wrong_type("user", "a string", *it);
        }
        p.user = it->get<std::string>();
    }
    return std::nullopt;
}

// A string, or an array of parts: text, image_url ({url, detail}) and
// input_audio ({data, format}). The text goes to `msg.content`; a message
// with media keeps every part in order in `msg.parts`.
std::optional<error> read_content(const json & v, const std::string & field, chat_message & msg) {
    if (v.is_null()) {
        return std::nullopt;
    }
    if (v.is_string()) {
        msg.content = v.get<std::string>();
        return std::nullopt;
    }
    if (!v.is_array()) {
        return wrong_type(field, "a string or an array of content parts", v);
    }
    std::vector<content_part> parts;
    bool media = false;
    for (size_t i = 0; i < v.size(); ++i) {
        const auto & part = v[i];
        const std::string pfield = field + "[" + std::to_string(i) + "]";
        if (!part.is_object()) {
            return wrong_type(pfield, "an object", part);
        }
        auto type = part.find("type");
        if (type == part.end() || !type->is_string()) {
            return error::invalid("'" + pfield + ".type' is required", pfield + ".type", "missing_field");
        }
        content_part p;
        const std::string t = type->get<std::string>();
        if (t == "text") {
            auto text = part.find("text");
            if (text == part.end() || !text->is_string()) {
                return error::invalid("'" + pfield + ".text' must be a string", pfield + ".text", "invalid_type");
            }
            p.text = text->get<std::string>();
            msg.content += p.text;
        } else if (t == "image_url") {
            auto image = part.find("image_url");
            const json * url = nullptr;
            if (image != part.end() && image->is_object()) {
                if (auto it = image->find("url"); it != image->end() && it->is_string()) {
                    url = &*it;
                }
            }
            if (url == nullptr || url->get_ref<const std::string &>().empty()) {
                return error::invalid("'" + pfield + ".image_url.url' must be a non-empty string", pfield + ".image_url.url",
                                      "missing_field");
            }
            const std::string u = url->get<std::string>();
            if (u.rfind("https://", 0) != 0 && u.rfind("http://", 0) != 0 && u.rfind("data:image/", 0) != 0) {
                return error::invalid("'" + pfield + ".image_url.url' must be an http(s) URL or a data:image/ URL",
                                      pfield + ".image_url.url", "invalid_value");
            }
            p.type = content_part::kind::image;
            p.url = u;
            if (auto d = image->find("detail"); d != image->end() && d->is_string()) {
                p.detail = d->get<std::string>();
            }
            media = true;
        } else if (t == "input_audio") {
            auto audio = part.find("input_audio");
            if (audio == part.end() || !audio->is_object() || !audio->contains("data") || !(*audio)["data"].is_string() ||
                !audio->contains("format") || !(*audio)["format"].is_string()) {
                return error::invalid("'" + pfield + ".input_audio' must be an object with data (base64) and format",
                                      pfield + ".input_audio", "missing_field");
            }
            p.type = content_part::kind::audio;
            p.data = (*audio)["data"].get<std::string>();
            p.format = (*audio)["format"].get<std::string>();
            media = true;
        } else {
            return error::invalid("content parts of type '" + t + "' are not supported; text, image_url and input_audio are",
                                  pfield + ".type", "unsupported_value");
        }
        parts.push_back(std::move(p));
    }
    if (media) {
        msg.parts = std::move(parts);
    }
    return std::nullopt;
}

std::optional<error> read_response_format(const json & doc, response_format & out) {
    auto it = doc.find("response_format");
    if (it == doc.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_object()) {
        return wrong_type("response_format", "an object", *it);
    }
    auto type = it->find("type");
    if (type == it->end() || !type->is_string()) {
        return error::invalid("'response_format.type' is required: text, json_object or json_schema",
                              "response_format.type", "missing_field");
    }
    const auto t = type->get<std::string>();
    if (t == "text") {
        out.type = response_format::kind::text;
    } else if (t == "json_object") {
        out.type = response_format::kind::json_object;
    } else if (t == "json_schema") {
        auto js = it->find("json_schema");
        if (js == it->end() || !js->is_object()) {
            return error::invalid("'response_format.json_schema' must be an object with a 'schema'",
                                  "response_format.json_schema", "missing_field");
        }
        auto schema = js->find("schema");
        if (schema == js->end() || !schema->is_object()) {
            return error::invalid("'response_format.json_schema.schema' must be a JSON schema object",
                                  "response_format.json_schema.schema", "missing_field");
        }
        out.type = response_format::kind::json_schema;
        out.schema_json = schema->dump();
        if (auto name = js->find("name"); name != js->end() && name->is_string()) {
            out.schema_name = name->get<std::string>();
        }
    } else {
        return error::invalid("'response_format.type' must be text, json_object or json_schema, got '" + t + "'",
                              "response_format.type", "invalid_value");
    }
    return std::nullopt;
}

}  // namespace

result<generation_call> parse_chat_request(std::string_view body) {
    auto doc = parse_json_body(body);
    if (!doc) {
        return doc.err();
    }
    static const std::set<std::string> supported = {
        "model", "messages", "temperature", "top_p", "top_k", "min_p", "presence_penalty", "frequency_penalty",
        "seed", "max_tokens", "max_completion_tokens", "n", "stop", "stream", "stream_options", "user",
        "logprobs", "top_logprobs", "response_format", "tools", "tool_choice", "parallel_tool_calls", "logit_bias",
        "reasoning_effort", "tiergate"};
    static const std::set<std::string> ignored = {"store", "metadata", "service_tier"};
    if (auto e = check_fields(*doc, supported, ignored)) return *e;

    generation_call call;
    call.kind = request_kind::chat;
    if (auto e = read_common(*doc, call)) return *e;
    if (auto e = read_metadata_task(*doc, call)) return *e;

    auto msgs = doc->find("messages");
    if (msgs == doc->end()) {
        return error::invalid("'messages' is required", "messages", "missing_field");
    }
    if (!msgs->is_array()) {
        return wrong_type("messages", "an array", *msgs);
    }
    if (msgs->empty()) {
        return error::invalid("'messages' must hold at least one message", "messages", "invalid_value");
    }
    static const std::set<std::string> roles = {"system", "developer", "user", "assistant", "tool"};
    for (size_t i = 0; i < msgs->size(); ++i) {
        const auto & m = (*msgs)[i];
        const std::string field = "messages[" + std::to_string(i) + "]";
        if (!m.is_object()) {
            return wrong_type(field, "an object", m);
        }
        auto role = m.find("role");
        if (role == m.end() || !role->is_string()) {
            return error::invalid("'" + field + ".role' is required", field + ".role", "missing_field");
        }
        if (roles.count(role->get<std::string>()) == 0) {
            return error::invalid("'" + field + ".role' must be one of system, developer, user, assistant, tool; got '" +
                                      role->get<std::string>() + "'",
                                  field + ".role", "invalid_value");
        }
        chat_message msg;
        msg.role = role->get<std::string>();
        auto content = m.find("content");
        if (content == m.end() && msg.role != "assistant") {
            return error::invalid("'" + field + ".content' is required", field + ".content", "missing_field");
        }
        if (content != m.end()) {
            if (auto e = read_content(*content, field + ".content", msg)) return *e;
        }
        if (auto name = m.find("name"); name != m.end() && name->is_string()) {
            msg.name = name->get<std::string>();
        }
        if (auto e = read_message_tool_fields(m, field, msg)) return *e;
        call.messages.push_back(std::move(msg));
    }
    if (auto e = read_tools(*doc, call)) return *e;
    if (auto e = check_tool_results(call)) return *e;

    if (auto e = read_bool(*doc, "logprobs", call.params.logprobs)) return *e;
    std::optional<int> top;
    if (auto e = read_number(*doc, "top_logprobs", 0.0, 20.0, top)) return *e;
    if (top) {
        if (!call.params.logprobs) {
            return error::invalid("'top_logprobs' requires 'logprobs' to be true", "top_logprobs", "invalid_value");
        }
        call.params.top_logprobs = *top;
    }
    if (auto e = read_response_format(*doc, call.params.format)) return *e;
    if (auto e = read_tiergate_extension(*doc, call)) return *e;
    return call;
}

result<generation_call> parse_completion_request(std::string_view body) {
    auto doc = parse_json_body(body);
    if (!doc) {
        return doc.err();
    }
    static const std::set<std::string> supported = {
        "model", "prompt", "temperature", "top_p", "top_k", "min_p", "presence_penalty", "frequency_penalty", "seed",
        "max_tokens", "n", "stop", "stream", "stream_options", "user", "logprobs", "echo", "best_of", "suffix"};
    if (auto e = check_fields(*doc, supported, {})) return *e;

    generation_call call;
    call.kind = request_kind::completion;
    if (auto e = read_common(*doc, call)) return *e;
    if (!call.params.max_tokens) {
        call.params.max_tokens = 16;  // the OpenAI default for completions
    }
    auto prompt = doc->find("prompt");
    if (prompt == doc->end()) {
        return error::invalid("'prompt' is required", "prompt", "missing_field");
    }
    if (prompt->is_string()) {
        call.prompt = prompt->get<std::string>();
    } else if (prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string()) {
        call.prompt = (*prompt)[0].get<std::string>();
    } else if (prompt->is_array()) {
        return error::invalid("'prompt' must be one string; batches of prompts are not supported", "prompt",
                              "unsupported_value");
    } else {
        return wrong_type("prompt", "a string", *prompt);
    }
    if (call.prompt.empty()) {
        return error::invalid("'prompt' must not be empty", "prompt", "invalid_value");
    }
    std::optional<int> logprobs;
    if (auto e = read_number(*doc, "logprobs", 0.0, 5.0, logprobs)) return *e;
    if (logprobs) {
        call.params.logprobs = true;
        call.params.top_logprobs = *logprobs;
    }
    bool echo = false;
    if (auto e = read_bool(*doc, "echo", echo)) return *e;
    if (echo) {
        return error::invalid("'echo' is not supported", "echo", "unsupported_value");
    }
    std::optional<int> best_of;
    if (auto e = read_number(*doc, "best_of", 1.0, 20.0, best_of)) return *e;
    if (best_of && *best_of != 1) {
        return error::invalid("'best_of' greater than 1 is not supported", "best_of", "unsupported_value");
    }
    if (auto it = doc->find("suffix"); it != doc->end() && !it->is_null()) {
        return error::invalid("'suffix' is not supported", "suffix", "unsupported_value");
    }
    return call;
}

result<embedding_call> parse_embedding_request(std::string_view body) {
    auto doc = parse_json_body(body);
    if (!doc) {
        return doc.err();
    }
    static const std::set<std::string> supported = {"model", "input", "encoding_format", "user", "dimensions", "pooling"};
    if (auto e = check_fields(*doc, supported, {})) return *e;

    embedding_call call;
    if (auto e = read_model(*doc, call.model)) return *e;
    auto input = doc->find("input");
    if (input == doc->end()) {
        return error::invalid("'input' is required", "input", "missing_field");
    }
    auto is_token_array = [](const json & a) {
        return a.is_array() && !a.empty() &&
               std::all_of(a.begin(), a.end(), [](const json & t) { return t.is_number_integer(); });
    };
    if (input->is_string()) {
        call.inputs.push_back(input->get<std::string>());
    } else if (is_token_array(*input)) {
        call.token_inputs.push_back(input->get<std::vector<int32_t>>());
    } else if (input->is_array() && !input->empty()) {
        for (size_t i = 0; i < input->size(); ++i) {
            const auto & item = (*input)[i];
            if (item.is_string()) {
                call.inputs.push_back(item.get<std::string>());
            } else if (is_token_array(item)) {
                call.token_inputs.push_back(item.get<std::vector<int32_t>>());
            } else {
                return wrong_type("input[" + std::to_string(i) + "]", "a string or an array of token ids", item);
            }
        }
        if (!call.inputs.empty() && !call.token_inputs.empty()) {
            return error::invalid("'input' mixes strings and token arrays", "input", "invalid_value");
        }
        if (input->size() > 2048) {
            return error::invalid("'input' may hold at most 2048 items", "input", "invalid_value");
        }
    } else {
        return wrong_type("input", "a string, an array of strings or an array of token ids", *input);
    }
    for (size_t i = 0; i < call.inputs.size(); ++i) {
        if (call.inputs[i].empty()) {
            return error::invalid("'input' must not contain empty strings", "input", "invalid_value");
        }
    }
    if (auto it = doc->find("encoding_format"); it != doc->end() && !it->is_null()) {
        if (!it->is_string() || (*it != "float" && *it != "base64")) {
            return error::invalid("'encoding_format' must be 'float' or 'base64'", "encoding_format", "invalid_value");
        }
        call.base64 = *it == "base64";
    }
    if (auto it = doc->find("dimensions"); it != doc->end() && !it->is_null()) {
        return error::invalid("'dimensions' is not supported: the model's embedding size is fixed", "dimensions",
                              "unsupported_value");
    }
    if (auto it = doc->find("pooling"); it != doc->end() && !it->is_null()) {
        if (!it->is_string() || (*it != "mean" && *it != "cls" && *it != "last")) {
            return error::invalid("'pooling' must be mean, cls or last", "pooling", "invalid_value");
        }
        call.pooling = it->get<std::string>();
    }
    return call;
}

bool is_completion_body(std::string_view body) {
    auto doc = parse_json_body(body);
    return doc && doc->contains("prompt") && !doc->contains("messages");
}

}  // namespace tiergate::api
