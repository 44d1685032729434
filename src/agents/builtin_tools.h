#pragma once
// The tools tiergate runs itself for a specialist: their definitions as the
// model sees them (strict JSON schemas), and the strict reading of the
// arguments a model wrote (an object with exactly the schema's fields, of
// its types and ranges). Bad arguments are an error the model is shown as
// the tool's result, so it can try again.

#include <string>
#include <vector>

#include "agents/agent_settings.h"
#include "core/chat_types.h"
#include "core/error.h"

namespace tiergate::agents {

struct sql_query_args {
    std::string query;
};

struct retrieve_args {
    std::string query;
    std::string collection;
    int k = 5;
};

struct call_specialist_args {
    std::string specialist;
    std::string instruction;
};

bool is_builtin_tool(const std::string & name);

// The definitions of the tools `s` may call; `delegates` are the names
// call_specialist may take (empty: the tool is not offered).
std::vector<tool_definition> builtin_tool_definitions(const specialist_settings & s,
                                                      const std::vector<std::string> & delegates);

result<sql_query_args> parse_sql_query_args(const std::string & arguments);
result<retrieve_args> parse_retrieve_args(const std::string & arguments, const std::vector<std::string> & collections);
result<call_specialist_args> parse_call_specialist_args(const std::string & arguments,
                                                        const std::vector<std::string> & delegates);

}  // namespace tiergate::agents
