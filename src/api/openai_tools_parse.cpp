#include "api/openai_tools_parse.h"

#include <cctype>
#include <set>

#include "api/request_fields.h"
#include "core/json_depth.h"

namespace tiergate::api {

using json = nlohmann::json;

namespace {

// The OpenAI API's rule for function names.
bool valid_function_name(const std::string & name) {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    for (unsigned char c : name) {
        if (!(std::isalnum(c) || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

std::optional<error> read_function_name(const json & fn, const std::string & field, std::string & out) {
    auto name = fn.find("name");
    if (name == fn.end()) {
        return error::invalid("'" + field + ".name' is required", field + ".name", "missing_field");
    }
    if (!name->is_string()) {
        return wrong_type(field + ".name", "a string", *name);
    }
    out = name->get<std::string>();
    if (!valid_function_name(out)) {
        return error::invalid("'" + field + ".name' must be 1 to 64 letters, digits, '_' or '-'", field + ".name",
                              "invalid_value");
    }
    return std::nullopt;
}

std::optional<error> read_tool(const json & t, const std::string & field, tool_definition & out) {
    if (!t.is_object()) {
        return wrong_type(field, "an object", t);
    }
    auto type = t.find("type");
    if (type == t.end() || !type->is_string()) {
        return error::invalid("'" + field + ".type' is required: 'function'", field + ".type", "missing_field");
    }
    if (*type != "function") {
        return error::invalid("'" + field + ".type' must be 'function', got '" + type->get<std::string>() + "'",
                              field + ".type", "invalid_value");
    }
    auto fn = t.find("function");
    if (fn == t.end()) {
        return error::invalid("'" + field + ".function' is required", field + ".function", "missing_field");
    }
    if (!fn->is_object()) {
        return wrong_type(field + ".function", "an object", *fn);
    }
    const std::string ffield = field + ".function";
    if (auto e = read_function_name(*fn, ffield, out.name)) return e;
    if (auto d = fn->find("description"); d != fn->end() && !d->is_null()) {
        if (!d->is_string()) {
            return wrong_type(ffield + ".description", "a string", *d);
        }
        out.description = d->get<std::string>();
    }
    if (auto p = fn->find("parameters"); p != fn->end() && !p->is_null()) {
        if (!p->is_object()) {
            return wrong_type(ffield + ".parameters", "a JSON schema object", *p);
        }
        out.parameters_json = p->dump();
    }
    if (auto s = fn->find("strict"); s != fn->end() && !s->is_null()) {
        if (!s->is_boolean()) {
            return wrong_type(ffield + ".strict", "a boolean", *s);
        }
        out.strict = s->get<bool>();
    }
    return std::nullopt;
}

std::optional<error> read_tool_choice(const json & doc, generation_call & call) {
    auto it = doc.find("tool_choice");
    if (it == doc.end() || it->is_null()) {
        return std::nullopt;
    }
    auto & choice = call.choice;
    if (it->is_string()) {
        const auto s = it->get<std::string>();
        if (s == "none") {
            choice.type = tool_choice::kind::none;
        } else if (s == "auto") {
            choice.type = tool_choice::kind::auto_;
        } else if (s == "required") {
            choice.type = tool_choice::kind::required;
        } else {
            return error::invalid("'tool_choice' must be none, auto, required or a named function, got '" + s + "'",
                                  "tool_choice", "invalid_value");
        }
    } else if (it->is_object()) {
        auto type = it->find("type");
        auto fn = it->find("function");
        if (type == it->end() || *type != "function" || fn == it->end() || !fn->is_object()) {
            return error::invalid("'tool_choice' as an object must be {\"type\": \"function\", \"function\": {\"name\": ...}}",
                                  "tool_choice", "invalid_value");
        }
        if (auto e = read_function_name(*fn, "tool_choice.function", choice.function)) return e;
        choice.type = tool_choice::kind::function;
    } else {
        return wrong_type("tool_choice", "a string or an object", *it);
    }
    const bool needs_tools = choice.type == tool_choice::kind::required || choice.type == tool_choice::kind::function;
    if (needs_tools && call.tools.empty()) {
        return error::invalid("'tool_choice' requires 'tools'", "tool_choice", "invalid_value");
    }
    if (choice.type == tool_choice::kind::function) {
        bool found = false;
        for (const auto & t : call.tools) {
            found = found || t.name == choice.function;
        }
        if (!found) {
            return error::invalid("'tool_choice' names the function '" + choice.function + "', which is not in 'tools'",
                                  "tool_choice.function.name", "invalid_value");
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<error> read_tool_list(const json & doc, const tool_reader & read_one, const char * name_field,
                                    std::vector<tool_definition> & out) {
    auto it = doc.find("tools");
    if (it == doc.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_array()) {
        return wrong_type("tools", "an array", *it);
    }
    if (it->size() > max_tools) {
        return error::invalid("'tools' holds " + std::to_string(it->size()) + " tools; at most " +
                                  std::to_string(max_tools) + " are allowed",
                              "tools", "invalid_value");
    }
    std::set<std::string> names;
    for (size_t i = 0; i < it->size(); ++i) {
        const std::string field = "tools[" + std::to_string(i) + "]";
        tool_definition t;
        if (auto e = read_one((*it)[i], field, t)) return e;
        if (!names.insert(t.name).second) {
            return error::invalid("'" + field + name_field + "': the tool '" + t.name + "' is defined twice",
                                  field + name_field, "invalid_value");
        }
        out.push_back(std::move(t));
    }
    return std::nullopt;
}

std::optional<error> read_tools(const json & doc, generation_call & call) {
    if (auto e = read_tool_list(doc, read_tool, ".function.name", call.tools)) return e;
    if (auto e = read_tool_choice(doc, call)) return e;
    if (auto it = doc.find("parallel_tool_calls"); it != doc.end() && !it->is_null()) {
        if (!it->is_boolean()) {
            return wrong_type("parallel_tool_calls", "a boolean", *it);
        }
        call.parallel_tool_calls = it->get<bool>();
    }
    return std::nullopt;
}

std::optional<error> read_message_tool_fields(const json & m, const std::string & field, chat_message & msg) {
    if (msg.role == "assistant") {
        auto calls = m.find("tool_calls");
        if (calls == m.end() || calls->is_null()) {
            return std::nullopt;
        }
        if (!calls->is_array()) {
            return wrong_type(field + ".tool_calls", "an array", *calls);
        }
        for (size_t i = 0; i < calls->size(); ++i) {
            const auto & c = (*calls)[i];
            const std::string cfield = field + ".tool_calls[" + std::to_string(i) + "]";
            if (!c.is_object()) {
                return wrong_type(cfield, "an object", c);
            }
            tool_call tc;
            auto id = c.find("id");
            if (id == c.end() || !id->is_string() || id->get<std::string>().empty()) {
                return error::invalid("'" + cfield + ".id' must be a non-empty string", cfield + ".id", "missing_field");
            }
            tc.id = id->get<std::string>();
            if (auto type = c.find("type"); type != c.end() && *type != "function") {
                return error::invalid("'" + cfield + ".type' must be 'function'", cfield + ".type", "invalid_value");
            }
            auto fn = c.find("function");
            if (fn == c.end() || !fn->is_object()) {
                return error::invalid("'" + cfield + ".function' must be an object with name and arguments",
                                      cfield + ".function", "missing_field");
            }
            if (auto e = read_function_name(*fn, cfield + ".function", tc.name)) return e;
            auto args = fn->find("arguments");
            if (args == fn->end() || !args->is_string()) {
                return error::invalid("'" + cfield + ".function.arguments' must be a string of JSON",
                                      cfield + ".function.arguments", "invalid_type");
            }
            tc.arguments = args->get<std::string>();
            if (first_too_deep(tc.arguments, max_request_json_depth) != std::string::npos) {
                return error::invalid("'" + cfield + ".function.arguments' nests deeper than " +
                                          std::to_string(max_request_json_depth) + " levels",
                                      cfield + ".function.arguments", "invalid_value");
            }
            if (json::parse(tc.arguments, nullptr, false).is_discarded()) {
                return error::invalid("'" + cfield + ".function.arguments' is not valid JSON",
                                      cfield + ".function.arguments", "invalid_value");
            }
            msg.tool_calls.push_back(std::move(tc));
        }
        return std::nullopt;
    }
    if (msg.role == "tool") {
        auto id = m.find("tool_call_id");
        if (id == m.end() || !id->is_string() || id->get<std::string>().empty()) {
            return error::invalid("'" + field + ".tool_call_id' is required on a tool message", field + ".tool_call_id",
                                  "missing_field");
        }
        msg.tool_call_id = id->get<std::string>();
    }
    return std::nullopt;
}

std::optional<error> check_tool_results(const generation_call & call) {
    std::set<std::string> made;
    for (size_t i = 0; i < call.messages.size(); ++i) {
        const auto & m = call.messages[i];
        for (const auto & c : m.tool_calls) {
            made.insert(c.id);
        }
        if (m.role == "tool" && made.count(m.tool_call_id) == 0) {
            const std::string field = "messages[" + std::to_string(i) + "].tool_call_id";
            return error::invalid("'" + field + "' is '" + m.tool_call_id +
                                      "', which no earlier assistant message's tool_calls holds",
                                  field, "invalid_value");
        }
    }
    return std::nullopt;
}

}  // namespace tiergate::api
