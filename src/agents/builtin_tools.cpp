#include "agents/builtin_tools.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/json_depth.h"
#include "core/utf8.h"

namespace tiergate::agents {

namespace {

using nlohmann::json;

json enum_of(const std::vector<std::string> & values) {
    json out = json::array();
    for (const auto & v : values) {
        out.push_back(v);
    }
    return out;
}

tool_definition define(std::string name, std::string description, json properties, std::vector<std::string> required) {
    json schema = {{"type", "object"},
                   {"properties", std::move(properties)},
                   {"required", required},
                   {"additionalProperties", false}};
    return tool_definition{std::move(name), std::move(description), schema.dump(), true};
}

error bad_arguments(const std::string & message) {
    return error::invalid("bad tool arguments: " + message, "arguments", "invalid_tool_arguments");
}

// The arguments as an object holding only `allowed` fields.
result<json> object_of(const std::string & arguments, std::initializer_list<const char *> allowed) {
    if (arguments.size() > 64 * 1024) {
        return bad_arguments("longer than 65536 bytes");
    }
    if (!is_valid_utf8(arguments)) {
        return bad_arguments("not valid UTF-8");
    }
    if (first_too_deep(arguments, 16) != std::string_view::npos) {
        return bad_arguments("nested too deeply");
    }
    json j = json::parse(arguments.empty() ? std::string("{}") : arguments, nullptr, false);
    if (j.is_discarded()) {
        return bad_arguments("not valid JSON");
    }
    if (!j.is_object()) {
        return bad_arguments("must be a JSON object");
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char * a) { return it.key() == a; })) {
            return bad_arguments("unknown field '" + it.key().substr(0, 64) + "'");
        }
    }
    return j;
}

result<std::string> text_field(const json & j, const char * key, size_t max_bytes) {
    auto it = j.find(key);
    if (it == j.end()) {
        return bad_arguments(std::string("'") + key + "' is required");
    }
    if (!it->is_string()) {
        return bad_arguments(std::string("'") + key + "' must be a string");
    }
    std::string v = it->get<std::string>();
    if (v.empty()) {
        return bad_arguments(std::string("'") + key + "' is empty");
    }
    if (v.size() > max_bytes) {
        return bad_arguments(std::string("'") + key + "' is longer than " + std::to_string(max_bytes) + " bytes");
    }
    return v;
}

result<std::string> one_of(const json & j, const char * key, const std::vector<std::string> & values) {
    auto v = text_field(j, key, 256);
    if (!v) {
        return v;
    }
    if (std::find(values.begin(), values.end(), *v) == values.end()) {
        std::string list;
        for (const auto & x : values) {
            list += (list.empty() ? "" : ", ") + x;
        }
        return bad_arguments(std::string("'") + key + "' must be one of: " + list);
    }
    return v;
}

}  // namespace

bool is_builtin_tool(const std::string & name) {
    return name == "sql_query" || name == "retrieve" || name == "call_specialist";
}

std::vector<tool_definition> builtin_tool_definitions(const specialist_settings & s,
                                                      const std::vector<std::string> & delegates) {
    std::vector<tool_definition> out;
    for (const auto & t : s.tools) {
        if (t == "sql_query") {
            out.push_back(define("sql_query",
                                 "Runs one read-only SQL query (SELECT) on the database '" + s.database +
                                     "' and returns the rows as a table.",
                                 {{"query", {{"type", "string"}, {"description", "one SELECT statement"}}}}, {"query"}));
        } else if (t == "retrieve" && !s.collections.empty()) {
            out.push_back(define("retrieve", "Searches a document collection and returns the best passages.",
                                 {{"query", {{"type", "string"}}},
                                  {"collection", {{"type", "string"}, {"enum", enum_of(s.collections)}}},
                                  {"k", {{"type", "integer"}, {"minimum", 1}, {"maximum", 20}}}},
                                 {"query", "collection"}));
        } else if (t == "call_specialist" && !delegates.empty()) {
            out.push_back(define("call_specialist", "Asks another specialist to do a subtask and returns its answer.",
                                 {{"specialist", {{"type", "string"}, {"enum", enum_of(delegates)}}},
                                  {"instruction", {{"type", "string"}}}},
                                 {"specialist", "instruction"}));
        }
    }
    return out;
}

result<sql_query_args> parse_sql_query_args(const std::string & arguments) {
    auto j = object_of(arguments, {"query"});
    if (!j) {
        return j.err();
    }
    auto q = text_field(*j, "query", 16 * 1024);
    if (!q) {
        return q.err();
    }
    return sql_query_args{std::move(*q)};
}

result<retrieve_args> parse_retrieve_args(const std::string & arguments, const std::vector<std::string> & collections) {
    auto j = object_of(arguments, {"query", "collection", "k"});
    if (!j) {
        return j.err();
    }
    retrieve_args out;
    auto q = text_field(*j, "query", 4096);
    if (!q) {
        return q.err();
    }
    out.query = std::move(*q);
    if (collections.size() == 1 && !j->contains("collection")) {
        out.collection = collections.front();
    } else {
        auto c = one_of(*j, "collection", collections);
        if (!c) {
            return c.err();
        }
        out.collection = std::move(*c);
    }
    if (auto it = j->find("k"); it != j->end()) {
        if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 20) {
            return bad_arguments("'k' must be an integer from 1 to 20");
        }
        out.k = it->get<int>();
    }
    return out;
}

result<call_specialist_args> parse_call_specialist_args(const std::string & arguments,
                                                        const std::vector<std::string> & delegates) {
    auto j = object_of(arguments, {"specialist", "instruction"});
    if (!j) {
        return j.err();
    }
    auto s = one_of(*j, "specialist", delegates);
    if (!s) {
        return s.err();
    }
    auto i = text_field(*j, "instruction", 16 * 1024);
    if (!i) {
        return i.err();
    }
    return call_specialist_args{std::move(*s), std::move(*i)};
}

}  // namespace tiergate::agents
