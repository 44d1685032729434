#pragma once
// What the request path tells the distillation capture: for a request in
// scope, each model call as the model saw it (after the guard: pseudonyms in
// place of the values) and the answer the model gave, before any value is
// restored. The gateway calls it through this interface only; the distill
// module decides what is kept and stores it off the request path.

#include <cstdint>
#include <string>
#include <vector>

#include "core/chat_types.h"

namespace tiergate {

// Who sent a request and what for: what capture rules are matched on.
struct capture_scope {
    std::string route;  // the model name the client sent (a model, an alias, or the router's name)
    std::string key_id;
    std::string team;
    std::string task;
    bool on_prem_only = false;  // the guard keeps this request on-prem
};

// One finished model call.
struct captured_call {
    int64_t at_ms = 0;  // Unix milliseconds, when the answer ended
    std::string request_id;
    std::string task;
    std::string team;
    std::string key_id;
    std::string route;
    std::string model;  // the model that answered
    std::string tier;   // slm | mid | frontier
    // teacher: an answer the client received; student: a cascade's first
    // answer that was discarded for the teacher's (a contrast pair by request_id)
    std::string role = "teacher";
    std::string decision;  // the router's decision (its route header)
    std::vector<chat_message> messages;  // chat: the messages the model received
    std::string prompt;                  // completion: the prompt it received
    std::string answer;
    std::string finish_reason;
    int64_t prompt_tokens = 0;
    int64_t completion_tokens = 0;
    double cost_usd = 0.0;
    double latency_ms = 0.0;
};

class answer_capture {
  public:
    virtual ~answer_capture() = default;
    // Whether this request's calls are kept: its scope matches a rule and the
    // sample takes it. Asked once per request, on the request's thread; cheap.
    virtual bool wants(const capture_scope & scope) = 0;
    // Never blocks: a full queue or a full store drops the call (counted and
    // logged once).
    virtual void keep(captured_call && call) = 0;
};

}  // namespace tiergate
