#pragma once
// What the router reads of a request, and what it decides. Built by the
// gateway from the typed call after the guard has scanned it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/model_enums.h"
#include "core/chat_types.h"
#include "core/error.h"
#include "router/route_settings.h"

namespace tiergate::router {

// One configured model as the router sees it.
struct route_model {
    std::string name;
    config::model_tier tier = config::model_tier::slm;
    bool on_prem = true;
    double input_per_mtok = 0.0;
    double output_per_mtok = 0.0;
    bool json_schema = false;  // capability
    bool tools = false;        // capability
    bool images = false;       // capability: image content parts
    bool audio = false;        // capability: audio content parts
};

struct route_request {
    std::optional<size_t> pinned;  // the client named this model (index into the planner's models)
    const std::map<std::string, std::string> * headers = nullptr;  // names lower-cased
    std::string_view user;
    std::string_view conversation_text;  // every message, for rules
    std::string_view prompt_text;        // the last user message, for the learned router
    int64_t prompt_tokens = 0;           // estimated
    bool json_schema = false;            // response_format json_object or json_schema
    bool tools = false;
    const std::vector<tool_definition> * tool_definitions = nullptr;  // the tools offered, for rules on names
    bool images = false;  // a message holds an image: only models with the images capability
    bool audio = false;   // a message holds audio: only models with the audio capability
    // Constraints.
    const std::vector<bool> * key_allows = nullptr;  // per model; null: the key allows every model
    bool on_prem_only = false;     // the guard found entities that must stay on-prem
    std::string on_prem_reason;    // e.g. "US_SSN=1", for the error
    bool budget_degraded = false;  // a budget asks for the SLM tier
    std::string budget_reason;
};

struct stage_trace {
    stage_kind stage = stage_kind::constraints;
    std::string outcome;
    double micros = 0.0;
};

struct routing_decision {
    std::optional<size_t> model;        // empty when refused
    std::string stage;                  // pinned | constraints | rules | learned | default
    std::string reason;
    std::vector<stage_trace> trace;
    std::vector<std::pair<std::string, float>> scores;  // learned router: predicted quality per configured model
    std::optional<size_t> escalate_to;  // the cascade: `model` answers first, escalates to this one
    std::optional<size_t> partner;      // the cascade: answers beside `model` (the agreement signal)
    std::vector<size_t> through;        // the cascade: held stages between `model` and escalate_to
    std::optional<error> refusal;
    double micros = 0.0;                // the whole decision

    // The x-tiergate-route header value: "stage:reason".
    std::string route_header() const;
};

}  // namespace tiergate::router
