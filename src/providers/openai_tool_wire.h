#pragma once
// Tool calling in the OpenAI chat wire format, both ways: what a request
// sends upstream (tools, tool_choice, an assistant's tool_calls) and what an
// answer carries (message.tool_calls whole, delta.tool_calls streamed). The
// API edge frames its own responses with the same functions.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/chat_types.h"

namespace tiergate::providers {

nlohmann::json openai_tools_json(const std::vector<tool_definition> & tools);
// null for tool_choice::kind::unset (the field is left out)
nlohmann::json openai_tool_choice_json(const tool_choice & choice);
// [{id, type: function, function: {name, arguments}}]
nlohmann::json openai_tool_calls_json(const std::vector<tool_call> & calls);
// the streamed form: [{index, id?, type?, function: {name?, arguments}}]
nlohmann::json openai_tool_call_deltas_json(const std::vector<tool_call_delta> & deltas);

// Reads `tool_calls` of an answer's message (whole: each call complete) or
// delta (streamed: fragments by index). Throws std::domain_error (or
// nlohmann's type errors) on a shape that is not OpenAI's: the remote
// provider reports it as an invalid response.
std::vector<tool_call_delta> read_openai_tool_calls(const nlohmann::json & calls, bool whole);

// Accumulates streamed fragments into whole calls, in index order.
class tool_call_collector {
  public:
    void add(const tool_call_delta & d);
    const std::vector<tool_call> & calls() const { return calls_; }
    bool empty() const { return calls_.empty(); }
    void clear() {
        calls_.clear();
        indexes_.clear();
    }

  private:
    std::vector<tool_call> calls_;
    std::vector<int> indexes_;  // the index of each call in calls_
};

}  // namespace tiergate::providers
