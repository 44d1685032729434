#include "providers/openai_tool_wire.h"

#include <stdexcept>

#include "providers/json_count.h"

namespace tiergate::providers {

using json = nlohmann::json;

json openai_tools_json(const std::vector<tool_definition> & tools) {
    json out = json::array();
    for (const auto & t : tools) {
        json fn = {{"name", t.name}};
        if (!t.description.empty()) {
            fn["description"] = t.description;
        }
        if (!t.parameters_json.empty()) {
            fn["parameters"] = json::parse(t.parameters_json, nullptr, false);
        }
        if (t.strict) {
            fn["strict"] = true;
        }
        out.push_back({{"type", "function"}, {"function", std::move(fn)}});
    }
    return out;
}

json openai_tool_choice_json(const tool_choice & choice) {
    switch (choice.type) {
        case tool_choice::kind::unset: return nullptr;
        case tool_choice::kind::none: return "none";
        case tool_choice::kind::auto_: return "auto";
        case tool_choice::kind::required: return "required";
        case tool_choice::kind::function: return {{"type", "function"}, {"function", {{"name", choice.function}}}};
    }
    return nullptr;
}

json openai_tool_calls_json(const std::vector<tool_call> & calls) {
    json out = json::array();
    for (const auto & c : calls) {
        out.push_back({{"id", c.id}, {"type", "function"}, {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
    }
    return out;
}

json openai_tool_call_deltas_json(const std::vector<tool_call_delta> & deltas) {
    json out = json::array();
    for (const auto & d : deltas) {
        json fn = {{"arguments", d.arguments}};
        json item = {{"index", d.index}};
        if (!d.id.empty()) {
            item["id"] = d.id;
            item["type"] = "function";
        }
        if (!d.name.empty()) {
            fn["name"] = d.name;
        }
        item["function"] = std::move(fn);
        out.push_back(std::move(item));
    }
    return out;
}

std::vector<tool_call_delta> read_openai_tool_calls(const json & calls, bool whole) {
    std::vector<tool_call_delta> out;
    if (calls.is_null()) {
        return out;
    }
    if (!calls.is_array()) {
        throw std::domain_error("tool_calls is not an array");
    }
    for (size_t i = 0; i < calls.size(); ++i) {
        const auto & c = calls[i];
        if (!c.is_object()) {
            throw std::domain_error("a tool call is not an object");
        }
        tool_call_delta d;
        const auto index = json_count(c, "index");
        if (!whole && !index) {
            throw std::domain_error("a streamed tool call has no index");
        }
        d.index = index.value_or(static_cast<int>(i));
        d.id = c.value("id", std::string());
        if (auto fn = c.find("function"); fn != c.end() && !fn->is_null()) {
            if (!fn->is_object()) {
                throw std::domain_error("a tool call's function is not an object");
            }
            d.name = fn->value("name", std::string());
            d.arguments = fn->value("arguments", std::string());
        }
        if (whole && (d.id.empty() || d.name.empty())) {
            throw std::domain_error("a tool call has no id or no function name");
        }
        out.push_back(std::move(d));
    }
    return out;
}

void tool_call_collector::add(const tool_call_delta & d) {
    size_t at = 0;
    while (at < indexes_.size() && indexes_[at] != d.index) {
        ++at;
    }
    if (at == indexes_.size()) {
        indexes_.push_back(d.index);
        calls_.emplace_back();
    }
    auto & c = calls_[at];
    if (!d.id.empty()) {
        c.id = d.id;
    }
    if (!d.name.empty()) {
        c.name = d.name;
    }
    c.arguments += d.arguments;
}

}  // namespace tiergate::providers
