#include "engine/generic_tool_format.h"

#include <nlohmann/json.hpp>

#include "json-schema-to-grammar.h"

namespace tiergate::engine::generic_tools {

namespace {

using json = nlohmann::ordered_json;

// The tools the model may call: all of them, or the one tool_choice names.
std::vector<const tool_definition *> offered(const chat_tools & tools) {
    std::vector<const tool_definition *> out;
    if (tools.tools == nullptr || tools.choice.type == tool_choice::kind::none) {
        return out;
    }
    for (const auto & t : *tools.tools) {
        if (tools.choice.type != tool_choice::kind::function || t.name == tools.choice.function) {
            out.push_back(&t);
        }
    }
    return out;
}

json parameters_of(const tool_definition & t) {
    json p = t.parameters_json.empty() ? json::object() : json::parse(t.parameters_json, nullptr, false);
    if (!p.is_object()) {
        p = json::object();
    }
    if (!p.contains("type")) {
        p["type"] = "object";
    }
    return p;
}

bool may_answer_in_text(const chat_tools & tools) {
    return tools.choice.type == tool_choice::kind::unset || tools.choice.type == tool_choice::kind::auto_;
}

json answer_schema(const chat_tools & tools) {
    json calls = json::array();
    for (const auto * t : offered(tools)) {
        calls.push_back({{"type", "object"},
                         {"properties", {{"name", {{"const", t->name}}}, {"arguments", parameters_of(*t)}}},
                         {"required", {"name", "arguments"}},
                         {"additionalProperties", false}});
    }
    json items = calls.size() == 1 ? calls[0] : json{{"anyOf", calls}};
    json list = {{"type", "array"}, {"items", items}, {"minItems", 1}};
    if (!tools.parallel) {
        list["maxItems"] = 1;
    }
    json with_calls = {{"type", "object"},
                       {"properties", {{"tool_calls", list}}},
                       {"required", {"tool_calls"}},
                       {"additionalProperties", false}};
    if (!may_answer_in_text(tools)) {
        return with_calls;
    }
    json with_text = {{"type", "object"},
                      {"properties", {{"response", {{"type", "string"}}}}},
                      {"required", {"response"}},
                      {"additionalProperties", false}};
    return {{"anyOf", {with_calls, with_text}}};
}

}  // namespace

std::vector<chat_message> prepare_messages(const std::vector<chat_message> & messages, const chat_tools & tools) {
    json described = json::array();
    for (const auto * t : offered(tools)) {
        json fn = {{"name", t->name}, {"parameters", parameters_of(*t)}};
        if (!t->description.empty()) {
            fn["description"] = t->description;
        }
        described.push_back(std::move(fn));
    }
    std::string text = "You can call these tools:\n" + described.dump(2) +
                       "\n\nAnswer with one JSON object: {\"tool_calls\": [{\"name\": ..., \"arguments\": {...}}]} "
                       "to call tools";
    text += may_answer_in_text(tools) ? ", or {\"response\": \"...\"} to answer in text." : ".";

    std::vector<chat_message> out;
    out.reserve(messages.size() + 1);
    bool placed = false;
    for (const auto & m : messages) {
        chat_message c = m;
        if (!placed && (m.role == "system" || m.role == "developer")) {
            c.content += "\n\n" + text;
            placed = true;
        } else if (!m.tool_calls.empty()) {
            json calls = json::array();
            for (const auto & tc : m.tool_calls) {
                json args = json::parse(tc.arguments, nullptr, false);
                calls.push_back({{"name", tc.name}, {"arguments", args.is_discarded() ? json(tc.arguments) : args}});
            }
            c.content = json{{"tool_calls", calls}}.dump();
            c.tool_calls.clear();
        } else if (m.role == "tool") {
            c.role = "user";
            c.content = json{{"tool_result", {{"tool_call_id", m.tool_call_id}, {"content", m.content}}}}.dump();
            c.tool_call_id.clear();
        }
        out.push_back(std::move(c));
    }
    if (!placed && !offered(tools).empty()) {
        chat_message sys;
        sys.role = "system";
        sys.content = text;
        out.insert(out.begin(), std::move(sys));
    }
    return out;
}

result<std::string> grammar(const chat_tools & tools) {
    try {
        std::string g = json_schema_to_grammar(common_json::parse(answer_schema(tools).dump()));
        if (g.empty()) {
            return error::invalid("the tools' parameter schemas could not be turned into a grammar", "tools");
        }
        return g;
    } catch (const std::exception & e) {
        return error::invalid(std::string("unsupported tool parameter schema: ") + e.what(), "tools");
    }
}

result<tool_answer> parse(const std::string & text, bool truncated) {
    json j = json::parse(text, nullptr, false);
    tool_answer out;
    if (j.is_discarded() || !j.is_object()) {
        if (truncated) {
            out.content = text;
            return out;
        }
        return error{error_kind::upstream, "the local model's answer is not the tool format's JSON", "",
                     "tool_call_parse_error", {}};
    }
    if (auto r = j.find("response"); r != j.end() && r->is_string()) {
        out.content = r->get<std::string>();
    }
    if (auto calls = j.find("tool_calls"); calls != j.end() && calls->is_array()) {
        for (const auto & c : *calls) {
            if (!c.is_object() || !c.contains("name") || !c["name"].is_string()) {
                continue;
            }
            const json args = c.value("arguments", json::object());
            out.calls.push_back({"", c["name"].get<std::string>(), args.dump()});
        }
    }
    return out;
}

}  // namespace tiergate::engine::generic_tools
