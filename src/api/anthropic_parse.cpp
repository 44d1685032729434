#include "api/anthropic_parse.h"

#include <nlohmann/json.hpp>

#include <set>

#include "api/request_fields.h"
#include "api/retrieval_parse.h"
#include "api/openai_tools_parse.h"

namespace tiergate::api {

using json = nlohmann::json;

namespace {

// The text of a string or of an array of text blocks (system, tool_result content).
std::optional<error> read_text(const json & v, const std::string & field, std::string & out) {
    if (v.is_string()) {
        out = v.get<std::string>();
        return std::nullopt;
    }
    if (!v.is_array()) {
        return wrong_type(field, "a string or an array of text blocks", v);
    }
    for (size_t i = 0; i < v.size(); ++i) {
        const auto & b = v[i];
        const std::string bfield = field + "[" + std::to_string(i) + "]";
        if (!b.is_object() || string_member(b, "type") != "text") {
            return error::invalid("'" + bfield + "' must be a text block ({\"type\":\"text\",\"text\":...})", bfield,
                                  "invalid_value");
        }
        auto t = b.find("text");
        if (t == b.end() || !t->is_string()) {
            return error::invalid("'" + bfield + ".text' must be a string", bfield + ".text", "invalid_type");
        }
        out += (out.empty() ? "" : "\n") + t->get<std::string>();
    }
    return std::nullopt;
}

std::optional<error> unsupported_block(const std::string & type, const std::string & field) {
    return error::invalid("content blocks of type '" + type +
                              "' are not supported; send text, image (user), tool_use (assistant) and tool_result (user) "
                              "blocks",
                          field + ".type", "unsupported_value");
}

// One message's content; a user message's tool_result blocks become tool
// messages placed before the user's own text.
std::optional<error> read_message(const json & m, const std::string & field, std::vector<chat_message> & out) {
    if (!m.is_object()) {
        return wrong_type(field, "an object", m);
    }
    auto role = m.find("role");
    if (role == m.end() || !role->is_string()) {
        return error::invalid("'" + field + ".role' is required: user or assistant", field + ".role", "missing_field");
    }
    const std::string r = role->get<std::string>();
    if (r != "user" && r != "assistant") {
        return error::invalid("'" + field + ".role' must be user or assistant, got '" + r + "'", field + ".role",
                              "invalid_value");
    }
    auto content = m.find("content");
    if (content == m.end()) {
        return error::invalid("'" + field + ".content' is required", field + ".content", "missing_field");
    }
    chat_message msg;
    msg.role = r;
    if (content->is_string()) {
        msg.content = content->get<std::string>();
        out.push_back(std::move(msg));
        return std::nullopt;
    }
    if (!content->is_array()) {
        return wrong_type(field + ".content", "a string or an array of content blocks", *content);
    }
    std::vector<chat_message> results;
    std::vector<content_part> parts;  // kept when the message holds an image
    bool media = false;
    for (size_t i = 0; i < content->size(); ++i) {
        const auto & b = (*content)[i];
        const std::string bfield = field + ".content[" + std::to_string(i) + "]";
        if (!b.is_object()) {
            return wrong_type(bfield, "an object", b);
        }
        auto type = b.find("type");
        if (type == b.end() || !type->is_string()) {
            return error::invalid("'" + bfield + ".type' is required", bfield + ".type", "missing_field");
        }
        const std::string t = type->get<std::string>();
        if (t == "text") {
            auto text = b.find("text");
            if (text == b.end() || !text->is_string()) {
                return error::invalid("'" + bfield + ".text' must be a string", bfield + ".text", "invalid_type");
            }
            msg.content += text->get<std::string>();
            parts.push_back({content_part::kind::text, text->get<std::string>(), "", "", "", ""});
        } else if (t == "image" && r == "user") {
            auto source = b.find("source");
            if (source == b.end() || !source->is_object()) {
                return error::invalid("'" + bfield + ".source' must be an object", bfield + ".source", "missing_field");
            }
            const std::string st = string_member(*source, "type");
            content_part p;
            p.type = content_part::kind::image;
            if (st == "base64" && source->contains("media_type") && (*source)["media_type"].is_string() &&
                source->contains("data") && (*source)["data"].is_string()) {
                p.url = "data:" + (*source)["media_type"].get<std::string>() + ";base64," +
                        (*source)["data"].get<std::string>();
            } else if (st == "url" && source->contains("url") && (*source)["url"].is_string()) {
                p.url = (*source)["url"].get<std::string>();
            } else {
                return error::invalid("'" + bfield + ".source' must be {type: base64, media_type, data} or {type: url, url}",
                                      bfield + ".source", "invalid_value");
            }
            parts.push_back(std::move(p));
            media = true;
        } else if (t == "tool_use" && r == "assistant") {
            tool_call c;
            auto id = b.find("id");
            auto name = b.find("name");
            auto input = b.find("input");
            if (id == b.end() || !id->is_string() || id->get<std::string>().empty()) {
                return error::invalid("'" + bfield + ".id' must be a non-empty string", bfield + ".id", "missing_field");
            }
            if (name == b.end() || !name->is_string() || name->get<std::string>().empty()) {
                return error::invalid("'" + bfield + ".name' must be a non-empty string", bfield + ".name",
                                      "missing_field");
            }
            if (input == b.end() || !input->is_object()) {
                return error::invalid("'" + bfield + ".input' must be an object", bfield + ".input", "invalid_type");
            }
            c.id = id->get<std::string>();
            c.name = name->get<std::string>();
            c.arguments = input->dump();
            msg.tool_calls.push_back(std::move(c));
        } else if (t == "tool_result" && r == "user") {
            chat_message tool;
            tool.role = "tool";
            auto id = b.find("tool_use_id");
            if (id == b.end() || !id->is_string() || id->get<std::string>().empty()) {
                return error::invalid("'" + bfield + ".tool_use_id' must be a non-empty string", bfield + ".tool_use_id",
                                      "missing_field");
            }
            tool.tool_call_id = id->get<std::string>();
            if (auto c = b.find("content"); c != b.end() && !c->is_null()) {
                if (auto e = read_text(*c, bfield + ".content", tool.content)) return e;
            }
            if (auto err = b.find("is_error"); err != b.end() && err->is_boolean() && err->get<bool>()) {
                tool.content = "error: " + tool.content;
            }
            results.push_back(std::move(tool));
        } else {
            return unsupported_block(t + (t == "tool_use" || t == "tool_result" ? " in a " + r + " message" : ""), bfield);
        }
    }
    for (auto & t : results) {
        out.push_back(std::move(t));
    }
    if (media) {
        msg.parts = std::move(parts);
    }
    if (!msg.content.empty() || !msg.tool_calls.empty() || !msg.parts.empty() || results.empty()) {
        out.push_back(std::move(msg));
    }
    return std::nullopt;
}

// One tool the client defines: name, description, input_schema.
std::optional<error> read_anthropic_tool(const json & t, const std::string & field, tool_definition & d) {
    if (!t.is_object()) {
        return wrong_type(field, "an object", t);
    }
    if (auto type = t.find("type"); type != t.end() && !type->is_null() && *type != "custom") {
        return error::invalid("'" + field + ".type' '" + type->dump() +
                                  "' is not supported; only tools the client defines (custom)",
                              field + ".type", "unsupported_value");
    }
    auto name = t.find("name");
    if (name == t.end() || !name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > 128) {
        return error::invalid("'" + field + ".name' must be a string of 1 to 128 characters", field + ".name",
                              "missing_field");
    }
    d.name = name->get<std::string>();
    if (auto desc = t.find("description"); desc != t.end() && !desc->is_null()) {
        if (!desc->is_string()) {
            return wrong_type(field + ".description", "a string", *desc);
        }
        d.description = desc->get<std::string>();
    }
    auto schema = t.find("input_schema");
    if (schema == t.end() || !schema->is_object()) {
        return error::invalid("'" + field + ".input_schema' must be a JSON schema object", field + ".input_schema",
                              "missing_field");
    }
    d.parameters_json = schema->dump();
    return std::nullopt;
}

std::optional<error> read_anthropic_tools(const json & doc, generation_call & call) {
    if (auto e = read_tool_list(doc, read_anthropic_tool, ".name", call.tools)) return e;
    auto it = doc.find("tool_choice");
    if (it == doc.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_object()) {
        return wrong_type("tool_choice", "an object", *it);
    }
    const std::string type = string_member(*it, "type");
    if (type == "auto") {
        call.choice.type = tool_choice::kind::auto_;
    } else if (type == "any") {
        call.choice.type = tool_choice::kind::required;
    } else if (type == "none") {
        call.choice.type = tool_choice::kind::none;
    } else if (type == "tool") {
        auto name = it->find("name");
        if (name == it->end() || !name->is_string()) {
            return error::invalid("'tool_choice.name' is required with type 'tool'", "tool_choice.name", "missing_field");
        }
        call.choice = {tool_choice::kind::function, name->get<std::string>()};
        bool found = false;
        for (const auto & t : call.tools) {
            found = found || t.name == call.choice.function;
        }
        if (!found) {
            return error::invalid("'tool_choice.name' names the tool '" + call.choice.function +
                                      "', which is not in 'tools'",
                                  "tool_choice.name", "invalid_value");
        }
    } else {
        return error::invalid("'tool_choice.type' must be auto, any, tool or none", "tool_choice.type", "invalid_value");
    }
    if (call.choice.type != tool_choice::kind::none && call.choice.type != tool_choice::kind::auto_ &&
        call.tools.empty()) {
        return error::invalid("'tool_choice' requires 'tools'", "tool_choice", "invalid_value");
    }
    if (auto d = it->find("disable_parallel_tool_use"); d != it->end() && d->is_boolean()) {
        call.parallel_tool_calls = !d->get<bool>();
    }
    return std::nullopt;
}

}  // namespace

result<generation_call> parse_messages_request(std::string_view body, bool count_tokens) {
    auto doc = parse_json_body(body);
    if (!doc) {
        return doc.err();
    }
    static const std::set<std::string> supported = {"model",  "messages",   "system", "max_tokens", "stop_sequences",
                                                    "temperature", "top_p", "top_k",  "metadata",   "stream",
                                                    "tools",  "tool_choice", "tiergate"};
    static const std::set<std::string> ignored = {"service_tier", "container", "mcp_servers"};
    for (const auto & [key, value] : doc->items()) {
        if (supported.count(key) == 0 && ignored.count(key) == 0) {
            return error::invalid("'" + key + "' is not supported", key, "unsupported_parameter");
        }
    }
    generation_call call;
    call.kind = request_kind::chat;
    auto model = doc->find("model");
    if (model == doc->end() || !model->is_string() || model->get<std::string>().empty()) {
        return error::invalid("'model' is required", "model", "missing_field");
    }
    call.model = model->get<std::string>();

    auto & p = call.params;
    if (!count_tokens && !doc->contains("max_tokens")) {
        return error::invalid("'max_tokens' is required", "max_tokens", "missing_field");
    }
    if (auto e = read_number(*doc, "max_tokens", 1.0, 1e9, p.max_tokens)) return *e;
    if (auto e = read_number(*doc, "temperature", 0.0, 1.0, p.temperature)) return *e;
    if (auto e = read_number(*doc, "top_p", 0.0, 1.0, p.top_p)) return *e;
    if (auto e = read_number(*doc, "top_k", 0.0, 1e6, p.top_k)) return *e;
    if (auto it = doc->find("stop_sequences"); it != doc->end() && !it->is_null()) {
        if (!it->is_array()) {
            return wrong_type("stop_sequences", "an array of strings", *it);
        }
        for (size_t i = 0; i < it->size(); ++i) {
            if (!(*it)[i].is_string()) {
                return wrong_type("stop_sequences[" + std::to_string(i) + "]", "a string", (*it)[i]);
            }
            p.stop.push_back((*it)[i].get<std::string>());
        }
    }
    if (auto it = doc->find("metadata"); it != doc->end() && !it->is_null()) {
        if (!it->is_object()) {
            return wrong_type("metadata", "an object", *it);
        }
        if (auto u = it->find("user_id"); u != it->end() && !u->is_null()) {
            if (!u->is_string()) {
                return wrong_type("metadata.user_id", "a string", *u);
            }
            p.user = u->get<std::string>();
        }
    }
    if (auto it = doc->find("stream"); it != doc->end() && !it->is_null()) {
        if (!it->is_boolean()) {
            return wrong_type("stream", "a boolean", *it);
        }
        call.stream = it->get<bool>();
        call.include_usage = call.stream;
    }
    if (auto it = doc->find("system"); it != doc->end() && !it->is_null()) {
        chat_message sys;
        sys.role = "system";
        if (auto e = read_text(*it, "system", sys.content)) return *e;
        call.messages.push_back(std::move(sys));
    }
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
    for (size_t i = 0; i < msgs->size(); ++i) {
        if (auto e = read_message((*msgs)[i], "messages[" + std::to_string(i) + "]", call.messages)) return *e;
    }
    if (auto e = read_anthropic_tools(*doc, call)) return *e;
    if (auto e = check_tool_results(call)) {
        // the field names the Anthropic request's shape
        return error::invalid("a tool_result block's tool_use_id matches no earlier tool_use block: " + e->message,
                              "messages", "invalid_value");
    }
    if (auto e = read_tiergate_extension(*doc, call)) return *e;
    return call;
}

}  // namespace tiergate::api
